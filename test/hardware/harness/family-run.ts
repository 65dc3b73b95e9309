import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Reading } from '../../../main/meter/reading.js';
import type { SimulatedMeterLine } from '../../../main/meter/sim/wire.js';
import type { Family } from '../guest/plan.js';
import type { GuestEvent } from '../guest/report.js';
import { SwitchableLine } from './meter-wire.js';
import { MeterSocket } from './meter-socket.js';
import { runQemu, type QemuRunResult } from './qemu.js';
import type { HardwareRig } from './rig.js';
import { ChipLineTracker, collapse } from './trace.js';

/** Guest events as they arrive, with waits for the one a step needs. */
export class EventLog {
  readonly all: GuestEvent[] = [];
  #waiters: { pred: (e: GuestEvent) => boolean; resolve: (e: GuestEvent) => void }[] = [];

  push(e: GuestEvent): void {
    this.all.push(e);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  /** The first event from index `from` on (already seen or still to come) that matches. */
  waitFor<E extends GuestEvent>(what: string, pred: (e: GuestEvent) => e is E, ms: number, signal: AbortSignal, from?: number): Promise<E>;
  waitFor(what: string, pred: (e: GuestEvent) => boolean, ms: number, signal: AbortSignal, from?: number): Promise<GuestEvent>;
  waitFor(what: string, pred: (e: GuestEvent) => boolean, ms: number, signal: AbortSignal, from = 0): Promise<GuestEvent> {
    const seen = this.all.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new Error(`QEMU ended before the guest's ${what}`));
      };
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        reject(new Error(`host timed out after ${ms} ms waiting for the guest's ${what}`));
      }, ms);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          signal.removeEventListener('abort', onAbort);
          resolve(e);
        },
      });
    });
  }
}

export const isEvent =
  <K extends GuestEvent['event']>(k: K, extra: (e: Extract<GuestEvent, { event: K }>) => boolean = () => true) =>
  (e: GuestEvent): e is Extract<GuestEvent, { event: K }> =>
    e.event === k && extra(e as Extract<GuestEvent, { event: K }>);

/** What the host does during one scenario (the FTDI family's meter lives on the host). */
export interface DriveContext {
  readonly log: EventLog;
  /** Index into log.all where this scenario's events start. */
  readonly from: number;
  readonly signal: AbortSignal;
  /** The FTDI family's meter socket (null in the gadget family). */
  readonly socket: MeterSocket | null;
}

export interface ScenarioPlan {
  readonly name: string;
  /** The host's meter for this scenario, attached before the guest is told to go. */
  readonly meter?: SimulatedMeterLine;
  readonly drive?: (ctx: DriveContext) => Promise<void>;
  /** The most this scenario may take before the host gives the boot up (TCG on a loaded machine). */
  readonly budgetMs: number;
}

export interface ScenarioRun {
  readonly name: string;
  /** The guest's events from the scenario's start to its end. */
  readonly events: readonly GuestEvent[];
  /** The guest's verdict; null when the scenario never ended (or never ran). */
  readonly ok: boolean | null;
  readonly message: string | null;
  /** QEMU's trace: the FTDI chip's line setups (closed by SET_DATA) during the scenario, e.g. ["300 7E1", "9600 7E1"]. */
  readonly chipSetups: readonly string[];
  /**
   * QEMU's trace: every state the chip went through during the scenario, starting with the one
   * it was in — also speed-only changes (Linux's ftdi_sio sends SET_BAUD_RATE alone then).
   */
  readonly chipStates: readonly string[];
  readonly wireLog: readonly string[];
  /** Why the host side gave up, if it did. */
  readonly hostError: string | null;
  readonly durationMs: number;
  /** Readings the guest reported, without its receive time. */
  readonly readings: readonly Omit<Reading, 'receivedAt'>[];
}

export interface FamilyRun {
  readonly family: Family;
  readonly qemu: QemuRunResult;
  readonly scenarios: Readonly<Record<string, ScenarioRun>>;
  /** Times QEMU dialled the meter socket (plug-ins of the FTDI adapter). */
  readonly connections: number;
  /** The host's reason for ending the boot early, if any. */
  readonly hostError: string | null;
}

export function withoutReceivedAt(r: Reading): Omit<Reading, 'receivedAt'> {
  const { receivedAt: _ignored, ...rest } = r;
  return rest;
}

/** Boot to the guest program's first scenario: 15 s on a quiet machine, past 90 s at load 12. */
const BOOT_MS = 300_000;
const END_MS = 60_000;

class ControlServer {
  readonly #server: Server;
  #socket: Socket | null = null;
  #connected: Promise<Socket>;

  private constructor(readonly path: string) {
    let resolve!: (s: Socket) => void;
    this.#connected = new Promise((r) => (resolve = r));
    this.#server = createServer((s) => {
      this.#socket = s;
      s.on('error', () => undefined);
      resolve(s);
    });
  }

  static async listen(path: string): Promise<ControlServer> {
    rmSync(path, { force: true });
    const c = new ControlServer(path);
    await new Promise<void>((resolve, reject) => {
      c.#server.once('error', reject);
      c.#server.listen(path, () => resolve());
    });
    return c;
  }

  /**
   * Tell the guest to run or skip a scenario; repeated until the guest shows it heard (the
   * scenario starts, or the next one gets ready), as the guest's UART may drop a first burst.
   */
  async command(verb: 'go' | 'skip', scenario: string, log: EventLog, signal: AbortSignal, from: number): Promise<void> {
    const socket = await this.#connected;
    const heard = (e: GuestEvent): boolean =>
      verb === 'go'
        ? e.event === 'scenario' && e.name === scenario && e.phase === 'start'
        : e.event === 'done' || (e.event === 'scenario' && e.name !== scenario && e.phase === 'ready');
    for (let attempt = 0; attempt < 5; attempt++) {
      socket.write(`################\n${verb} ${scenario}\n`);
      const ok = await log.waitFor(`${verb} ${scenario} acknowledged`, heard, 15_000, signal, from).then(
        () => true,
        () => false,
      );
      if (ok || signal.aborted) return;
    }
    throw new Error(`the guest did not act on "${verb} ${scenario}"`);
  }

  close(): Promise<void> {
    this.#socket?.destroy();
    return new Promise((r) => this.#server.close(() => r()));
  }
}

/**
 * Boot the guest once for a family and run its scenarios in order: for each, wait until the
 * guest is ready, attach the scenario's meter, say go, drive it, and collect what happened.
 * A scenario that fails does not stop the others; one that never ends does (the host kills
 * QEMU), and the scenarios after it are reported as not run.
 */
export interface RunFamilyOptions {
  /** Run only these scenarios (the guest skips the others). */
  readonly only?: readonly string[];
  /** Every guest event as it arrives (run.ts prints them live). */
  readonly onEvent?: (e: GuestEvent) => void;
}

export async function runFamily(rig: HardwareRig, family: Family, plans: readonly ScenarioPlan[], options: RunFamilyOptions = {}): Promise<FamilyRun> {
  const only = options.only;
  const tracker = new ChipLineTracker();
  const line = new SwitchableLine();
  const socket = family === 'ftdi' ? await MeterSocket.listen(join(rig.workDir, `${family}-meter.sock`), line, tracker) : null;
  const control = await ControlServer.listen(join(rig.workDir, `${family}-ctl.sock`));
  const log = new EventLog();
  const qemuEnded = new AbortController();
  const giveUp = new AbortController();
  const budget = BOOT_MS + plans.reduce((n, p) => n + p.budgetMs, 0) + END_MS;
  const qemu = runQemu({
    kernel: rig.kernel.vmlinuz,
    initrd: rig.initrd,
    family,
    ...(socket ? { meterSocket: socket.path } : {}),
    controlSocket: control.path,
    // The gadget family runs entirely inside the guest: its clock may follow the guest's work.
    icount: family === 'gadget',
    timeoutMs: budget,
    signal: giveUp.signal,
    onEvent: (e) => {
      log.push(e);
      options.onEvent?.(e);
    },
    onTrace: (t) => tracker.apply(t),
  }).finally(() => qemuEnded.abort());

  const runs: Record<string, ScenarioRun> = {};
  let hostError: string | null = null;
  let first = true;
  for (const plan of plans) {
    const started = Date.now();
    let scenarioError: string | null = null;
    let from = log.all.length;
    const setupMark = tracker.setups.length;
    const historyMark = tracker.history.length;
    const stateAtStart = tracker.describe();
    const wireMark = socket?.log.length ?? 0;
    let end: Extract<GuestEvent, { event: 'scenario' }> | null = null;
    try {
      if (hostError) throw new Error(`not run: ${hostError}`);
      await log.waitFor(`readiness for ${plan.name}`, isEvent('scenario', (e) => e.name === plan.name && e.phase === 'ready'), first ? BOOT_MS : END_MS, qemuEnded.signal);
      first = false;
      if (only && !only.includes(plan.name)) {
        await control.command('skip', plan.name, log, qemuEnded.signal, log.all.length);
        continue;
      }
      line.use(plan.meter ?? null);
      from = log.all.length;
      await control.command('go', plan.name, log, qemuEnded.signal, from);
      const ended = log.waitFor(`end of ${plan.name}`, isEvent('scenario', (e) => e.name === plan.name && e.phase === 'end'), plan.budgetMs, qemuEnded.signal, from);
      // The host's part stops when the guest's does: a guest that gave up is not waited for.
      const over = new AbortController();
      ended.then(
        () => over.abort(),
        () => over.abort(),
      );
      try {
        await plan.drive?.({ log, from, signal: AbortSignal.any([qemuEnded.signal, over.signal]), socket });
      } catch (e) {
        scenarioError = e instanceof Error ? e.message.replace('QEMU ended before', 'the scenario ended before') : String(e);
      }
      end = await ended;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      scenarioError ??= why;
      if (!hostError && !why.startsWith('not run')) {
        hostError = `${plan.name}: ${why}`;
        giveUp.abort();
      }
    }
    const to = end ? log.all.indexOf(end) + 1 : log.all.length;
    const events = log.all.slice(from, to);
    runs[plan.name] = {
      name: plan.name,
      events,
      ok: end?.ok ?? null,
      message: end?.message ?? null,
      chipSetups: collapse(tracker.setups.slice(setupMark)),
      chipStates: collapse([stateAtStart, ...tracker.history.slice(historyMark)]),
      wireLog: socket?.log.slice(wireMark) ?? [],
      hostError: scenarioError,
      durationMs: Date.now() - started,
      readings: events.filter((e): e is Extract<GuestEvent, { event: 'reading' }> => e.event === 'reading').map((e) => withoutReceivedAt(e.reading as Reading)),
    };
  }
  line.use(null);
  if (!hostError) {
    await log.waitFor('end of the run', isEvent('done'), END_MS, qemuEnded.signal).catch((e: Error) => {
      hostError = e.message;
      giveUp.abort();
    });
  }
  const result = await qemu;
  await socket?.close();
  await control.close();
  return { family, qemu: result, scenarios: runs, connections: socket?.connections.length ?? 0, hostError };
}
