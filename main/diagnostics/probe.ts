import type { ProbeAttempt, ProbeOutcome, ProbeReport } from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import type { DecodeListener, StreamDecoder } from '../meter/protocols/decoder.js';
import { LINE_8N1_115200, type LineSettings, type SerialPort } from '../meter/index.js';
import type { FrameTap } from './frame-log.js';
import { LinkMonitor, monitorPort } from './link-monitor.js';

export interface ProbeCandidate {
  readonly protocol: string;
  readonly line: LineSettings;
  /** How long to listen for a push meter (DSMR 5 sends every second, DSMR 4 every ten). */
  readonly listenMs: number;
  /** Bytes to send first (a request/response protocol's sign-on); none for push meters. */
  readonly request?: Uint8Array;
}

export interface ProbeRunOptions {
  readonly deviceId: string | null;
  readonly signal: AbortSignal;
  readonly onAttempt: (attempt: ProbeAttempt) => void;
}

/**
 * What runs the attempts. The protocols room's detector (meter/detect) is the real one and
 * records every attempt; ListenProber below is the fallback for push meters, used where the
 * detector is not wired and by the headless CLI.
 */
export interface Prober {
  run(options: ProbeRunOptions): Promise<{ attempts: ProbeAttempt[]; found: { protocol: string; line: LineSettings } | null }>;
}

export const LINE_7E1_9600: LineSettings = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };
export const LINE_8N1_9600: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

/** The push-meter settings worth trying first: DSMR 4/5, then DSMR 2.2/3. */
export const defaultCandidates: readonly ProbeCandidate[] = [
  { protocol: 'dsmr', line: LINE_8N1_115200, listenMs: 11_000 },
  { protocol: 'dsmr', line: LINE_7E1_9600, listenMs: 11_000 },
];

export interface ListenProberDeps {
  /** A closed port on the device to probe (or the only adapter when deviceId is null). */
  openPort(deviceId: string | null): Promise<SerialPort> | SerialPort;
  decoders: Readonly<Record<string, (listener: DecodeListener) => StreamDecoder>>;
  candidates?: readonly ProbeCandidate[];
  /** Probe frames also go to the frame log, so support sees what each attempt received. */
  tap?: FrameTap | null;
  now?: () => number;
}

function outcomeOf(s: { bytesIn: number; framesOk: number; checksumErrors: number }): ProbeOutcome {
  if (s.framesOk > 0) return 'ok';
  if (s.bytesIn === 0) return 'no-data';
  if (s.checksumErrors > 0) return 'checksum';
  return 'garbled';
}

function sleep(ms: number, signal: AbortSignal, until: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (signal.aborted || until() || Date.now() - started >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 25);
  });
}

function errorShapeOf(e: unknown) {
  return e instanceof WattletError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), facts: {} };
}

/**
 * Listens at each candidate's line settings and decodes what arrives; stops at the first
 * setting that yields a good frame. Each attempt opens the port afresh so line errors and
 * counters belong to that attempt alone.
 */
export class ListenProber implements Prober {
  constructor(readonly deps: ListenProberDeps) {}

  async run({ deviceId, signal, onAttempt }: ProbeRunOptions) {
    const now = this.deps.now ?? Date.now;
    const attempts: ProbeAttempt[] = [];
    const candidates = this.deps.candidates ?? defaultCandidates;
    for (const [index, c] of candidates.entries()) {
      const startedAt = now();
      const make = this.deps.decoders[c.protocol];
      const base = { index, protocol: c.protocol, line: { ...c.line }, startedAt };
      if (signal.aborted) {
        attempts.push({ ...base, outcome: 'cancelled', durationMs: 0, bytesIn: 0, framesOk: 0, checksumErrors: 0, framingErrors: 0, error: null });
        onAttempt(attempts.at(-1)!);
        break;
      }
      if (!make) continue;
      const monitor = new LinkMonitor({ tap: this.deps.tap ?? null });
      let port: SerialPort | null = null;
      let off: (() => void) | null = null;
      let error: ReturnType<typeof errorShapeOf> | null = null;
      try {
        port = await this.deps.openPort(deviceId);
        monitor.usePort(port);
        const decoder = make((e) => monitor.decoded(e, now()));
        off = monitorPort(port, decoder, monitor, now);
        await port.open(c.line);
        monitor.opened({ deviceId, family: port.family, path: port.path, protocol: c.protocol, line: c.line });
        if (c.request) {
          await port.write(c.request);
          monitor.sent(c.request, now());
        }
        await sleep(c.listenMs, signal, () => (monitor.linkStats()?.framesOk ?? 0) > 0 || monitor.linkStats()?.state === 'failed');
        await decoder.settled();
        const failed = monitor.linkStats()?.lastError;
        if (failed) error = failed;
      } catch (e) {
        error = errorShapeOf(e);
      } finally {
        off?.();
        await port?.close().catch(() => undefined); // the attempt's own error (if any) is what we report
      }
      const s = monitor.linkStats();
      const counts = { bytesIn: s?.bytesIn ?? 0, framesOk: s?.framesOk ?? 0, checksumErrors: s?.checksumErrors ?? 0, framingErrors: s?.framingErrors ?? 0 };
      const outcome: ProbeOutcome = signal.aborted && counts.framesOk === 0 ? 'cancelled' : error && counts.framesOk === 0 ? 'error' : outcomeOf(counts);
      const attempt: ProbeAttempt = { ...base, outcome, durationMs: now() - startedAt, ...counts, error };
      attempts.push(attempt);
      onAttempt(attempt);
      if (outcome === 'ok') return { attempts, found: { protocol: c.protocol, line: { ...c.line } } };
      // A device that is gone or not ours will not answer at another speed either.
      if (error && ['METER_DEVICE_GONE', 'METER_PERMISSION_DENIED', 'METER_INTERFACE_CLAIMED', 'METER_NO_USB_SUBSYSTEM', 'METER_DEVICE_NOT_FOUND'].includes(error.code)) break;
      if (outcome === 'cancelled') break;
    }
    return { attempts, found: null };
  }
}

/**
 * One auto-probe at a time: starts it, reports progress after each attempt, cancels on request,
 * and keeps the last report for the findings and the bundle.
 */
export class ProbeManager {
  #current: { report: ProbeReport; abort: AbortController; done: Promise<ProbeReport> } | null = null;
  #last: ProbeReport | null = null;
  #seq = 0;

  constructor(
    readonly deps: { prober: Prober | null; onProgress?: (report: ProbeReport) => void; onError?: (e: unknown) => void; now?: () => number },
  ) {}

  get last(): ProbeReport | null {
    return this.#current?.report ?? this.#last;
  }

  /** Starts a probe and answers its report at once (state 'running'); `done` resolves at the end. */
  start(deviceId: string | null): { report: ProbeReport; done: Promise<ProbeReport> } {
    const prober = this.deps.prober;
    if (!prober) throw new WattletError('DIAG_PROBE_UNAVAILABLE', 'No auto-probe is available in this mode', {});
    if (this.#current) {
      throw new WattletError('DIAG_PROBE_BUSY', 'An auto-probe is already running', { probeId: this.#current.report.probeId });
    }
    const now = this.deps.now ?? Date.now;
    const report: ProbeReport = {
      probeId: `probe-${++this.#seq}-${now().toString(36)}`,
      deviceId,
      state: 'running',
      startedAt: now(),
      finishedAt: null,
      attempts: [],
      found: null,
      error: null,
    };
    const abort = new AbortController();
    const emit = () => this.deps.onProgress?.(structuredClone(report));
    const done = (async () => {
      try {
        const r = await prober.run({
          deviceId,
          signal: abort.signal,
          onAttempt: (a) => {
            report.attempts.push(a);
            emit();
          },
        });
        report.found = r.found;
        report.state = abort.signal.aborted && !r.found ? 'cancelled' : 'done';
      } catch (e) {
        report.state = 'failed';
        report.error = errorShapeOf(e);
        this.deps.onError?.(e);
      }
      report.finishedAt = now();
      this.#last = report;
      this.#current = null;
      emit();
      return structuredClone(report);
    })();
    this.#current = { report, abort, done };
    return { report: structuredClone(report), done };
  }

  async cancel(probeId: string): Promise<ProbeReport> {
    const c = this.#current;
    if (!c || c.report.probeId !== probeId) throw new WattletError('DIAG_PROBE_NOT_FOUND', 'No running auto-probe with this id', { probeId });
    c.abort.abort();
    return c.done;
  }

  async dispose(): Promise<void> {
    const c = this.#current;
    if (c) {
      c.abort.abort();
      await c.done;
    }
  }
}
