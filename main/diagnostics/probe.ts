import type { ProbeAttempt, ProbeReport } from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import type { LineSettings } from '../meter/index.js';

export interface ProbeRunOptions {
  readonly deviceId: string | null;
  readonly signal: AbortSignal;
  readonly onAttempt: (attempt: ProbeAttempt) => void;
}

/**
 * What runs the attempts: DetectProber, over the protocols room's detector (meter/detect), which
 * decodes and records every attempt. Diagnostics decodes nothing itself.
 */
export interface Prober {
  run(options: ProbeRunOptions): Promise<{ attempts: ProbeAttempt[]; found: { protocol: string; line: LineSettings } | null }>;
}

function errorShapeOf(e: unknown) {
  return e instanceof WattletError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), facts: {} };
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
