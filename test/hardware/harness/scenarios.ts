import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import type { Reading } from '../../../main/meter/reading.js';
import type { SimulatedMeterLine } from '../../../main/meter/sim/wire.js';
import type { GuestEvent } from '../guest/report.js';
import { bundleGuest } from './guest-bundle.js';
import { buildInitramfs, ensureBaseInitramfs } from './initramfs.js';
import { ensureKernel, type GuestKernel } from './kernel.js';
import { MeterSocket, type MeterConnection } from './meter-socket.js';
import { runQemu, type QemuRunResult } from './qemu.js';
import { SimulatedIec62056Meter } from '../../../main/meter/sim/meters/simulated-iec62056-meter.js';
import { Iec62056Decoder } from '../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import { PacedDsmrMeter, RecordingLine } from './test-meters.js';
import { ChipLineTracker } from './trace.js';

export interface HardwareRig {
  readonly kernel: GuestKernel;
  readonly initrd: string;
  readonly workDir: string;
  /** WATTLET_HW_MUTATE in effect, if any (mutation check). */
  readonly mutation: string | null;
  readonly prepareMs: number;
}

/** Kernel (cached), base initramfs (cached), the guest bundle of the project's code (fresh). */
export async function prepareRig(): Promise<HardwareRig> {
  const started = Date.now();
  const kernel = ensureKernel();
  const base = ensureBaseInitramfs(kernel);
  // Unix socket paths are limited to 108 bytes: keep the run directory short.
  mkdirSync(join(tmpdir()), { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'wattlet-hw-'));
  const bundle = join(workDir, 'guest.mjs');
  const { mutation } = await bundleGuest(bundle);
  const initrd = buildInitramfs(base, bundle, workDir);
  return { kernel, initrd, workDir, mutation, prepareMs: Date.now() - started };
}

/** Guest events as they arrive, with waits for the one a step needs. */
class EventLog {
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

  /** The first event (already seen or still to come) that matches. */
  waitFor<E extends GuestEvent>(what: string, pred: (e: GuestEvent) => e is E, ms: number, signal: AbortSignal): Promise<E>;
  waitFor(what: string, pred: (e: GuestEvent) => boolean, ms: number, signal: AbortSignal): Promise<GuestEvent>;
  waitFor(what: string, pred: (e: GuestEvent) => boolean, ms: number, signal: AbortSignal): Promise<GuestEvent> {
    const seen = this.all.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`host timed out after ${ms} ms waiting for the guest's ${what}`)), ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new Error(`QEMU ended before the guest's ${what}`));
      };
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

export interface ScenarioResult {
  readonly qemu: QemuRunResult;
  /** The chip's line setups from QEMU's trace, e.g. ["300 7E1", "9600 7E1"]. */
  readonly chipSetups: readonly string[];
  readonly events: readonly GuestEvent[];
  /** Readings the guest printed, without the guest-side receive time. */
  readonly readings: readonly Omit<Reading, 'receivedAt'>[];
  /** Why the host side of the scenario gave up, if it did. */
  readonly hostError: string | null;
  readonly wireLog: readonly string[];
  /** How many times QEMU dialled the meter (plug-ins of the adapter). */
  readonly connections: number;
}

/** Boot to the guest program's first port-open: 15 s on a quiet machine, past 90 s at load 12. */
const BOOT_MS = 300_000;
const STEP_MS = 90_000; // one guest step under TCG on a loaded 2-core machine, with margin

async function runScenario(
  rig: HardwareRig,
  scenario: string,
  meter: SimulatedMeterLine,
  bootParams: Record<string, number>,
  drive: (ctx: { log: EventLog; socket: MeterSocket; signal: AbortSignal }) => Promise<void>,
): Promise<ScenarioResult> {
  const tracker = new ChipLineTracker();
  const socket = await MeterSocket.listen(join(rig.workDir, `${scenario}.sock`), meter, tracker);
  const log = new EventLog();
  const qemuEnded = new AbortController();
  const giveUp = new AbortController();
  const qemu = runQemu({
    kernel: rig.kernel.vmlinuz,
    initrd: rig.initrd,
    scenario,
    meterSocket: socket.path,
    timeoutMs: BOOT_MS + 4 * STEP_MS,
    bootParams,
    signal: giveUp.signal,
    onEvent: (e) => log.push(e),
    onTrace: (t) => tracker.apply(t),
  }).finally(() => qemuEnded.abort());
  let hostError: string | null = null;
  try {
    await drive({ log, socket, signal: qemuEnded.signal });
  } catch (e) {
    hostError = e instanceof Error ? e.message : String(e);
    giveUp.abort();
  }
  const result = await qemu;
  await socket.close();
  const readings = log.all
    .filter((e): e is Extract<GuestEvent, { event: 'reading' }> => e.event === 'reading')
    .map((e) => withoutReceivedAt(e.reading as Reading));
  return { qemu: result, chipSetups: tracker.setups, events: log.all, readings, hostError, wireLog: socket.log, connections: socket.connections.length };
}

export function withoutReceivedAt(r: Reading): Omit<Reading, 'receivedAt'> {
  const { receivedAt: _ignored, ...rest } = r;
  return rest;
}

/** What the project's decoder makes of the exact bytes the meter sent (the expected readings). */
export function decodeOnHost(bytes: Uint8Array): Omit<Reading, 'receivedAt'>[] {
  const out: Omit<Reading, 'receivedAt'>[] = [];
  const d = new DsmrDecoder((e) => {
    if (e.kind === 'reading') out.push(withoutReceivedAt(e.reading));
  });
  d.push(bytes, 0);
  return out;
}

const isEvent =
  <K extends GuestEvent['event']>(k: K, extra: (e: Extract<GuestEvent, { event: K }>) => boolean = () => true) =>
  (e: GuestEvent): e is Extract<GuestEvent, { event: K }> =>
    e.event === k && extra(e as Extract<GuestEvent, { event: K }>);

export interface DsmrScenarioResult extends ScenarioResult {
  readonly expected: readonly Omit<Reading, 'receivedAt'>[];
}

/**
 * Scenario 1. Once the guest reports the port open at 115200 8N1, the meter pushes `telegrams`
 * DSMR 5 telegrams back to back (about 1.3 kB each, so QEMU's 384-byte receive buffer fills and
 * every bulk IN carries several 64-byte packets, each with its own status bytes).
 */
export async function dsmrScenario(rig: HardwareRig, telegrams = 5): Promise<DsmrScenarioResult> {
  const meter = new PacedDsmrMeter();
  const r = await runScenario(rig, 'dsmr', meter, { readings: telegrams, quiet_ms: 30_000 }, async ({ log, socket, signal }) => {
    await socket.connection(0);
    await log.waitFor('port-open', isEvent('port-open'), BOOT_MS, signal);
    for (let i = 0; i < telegrams; i++) meter.push();
    await log.waitFor('done', isEvent('done'), STEP_MS, signal);
  });
  const expected = meter.sent.flatMap((s) => decodeOnHost(s.bytes));
  return { ...r, expected };
}

export interface IecScenarioResult extends ScenarioResult {
  readonly meter: RecordingLine<SimulatedIec62056Meter>;
  /** What the project's decoder makes of everything the meter sent. */
  readonly expected: readonly Omit<Reading, 'receivedAt'>[];
}

/** Scenario 2: the project's simulated IEC 62056-21 meter answers on its own; the host watches. */
export async function iecScenario(rig: HardwareRig): Promise<IecScenarioResult> {
  const meter = new RecordingLine(new SimulatedIec62056Meter({ baudChar: '5' }));
  const r = await runScenario(rig, 'iec', meter, { quiet_ms: 60_000, answer_ms: 15_000 }, async ({ log, socket, signal }) => {
    await socket.connection(0);
    await log.waitFor('done', isEvent('done'), BOOT_MS + 2 * STEP_MS, signal);
  });
  const expected: Omit<Reading, 'receivedAt'>[] = [];
  const decoder = new Iec62056Decoder((e) => {
    if (e.kind === 'reading') expected.push(withoutReceivedAt(e.reading));
  });
  for (const m of meter.fromMeter) decoder.push(m.bytes, 0);
  return { ...r, meter, expected };
}

export interface UnplugScenarioResult extends ScenarioResult {
  /** Line bytes the guest had received when the host pulled the plug. */
  readonly bytesBeforeUnplug: number;
  readonly expected: readonly Omit<Reading, 'receivedAt'>[];
  /** What the torn telegram would have decoded to, had it arrived whole. */
  readonly torn: readonly Omit<Reading, 'receivedAt'>[];
}

/**
 * Scenario 3: two whole telegrams, then half of a third — the host waits until the guest has
 * those bytes — then the meter side hangs up, which unplugs the adapter in the guest. QEMU
 * dials again a second later (re-plug); once the guest has reopened the port, two more whole
 * telegrams.
 */
export async function unplugScenario(rig: HardwareRig): Promise<UnplugScenarioResult> {
  const meter = new PacedDsmrMeter();
  let bytesBeforeUnplug = 0;
  const r = await runScenario(rig, 'unplug', meter, { readings: 4, quiet_ms: 45_000 }, async ({ log, socket, signal }) => {
    const first: MeterConnection = await socket.connection(0);
    await log.waitFor('port-open', isEvent('port-open', (e) => e.attempt === 1), BOOT_MS, signal);
    meter.push();
    meter.push();
    await log.waitFor('2 readings', () => log.all.filter((e) => e.event === 'reading').length >= 2, STEP_MS, signal);
    const torn = Math.floor(meter.sent.length > 0 ? meter.sent[0]!.bytes.length / 2 : 600);
    meter.push(torn);
    const total = meter.sent.reduce((n, s) => n + s.delivered, 0);
    await log.waitFor(`receipt of ${total} bytes`, isEvent('rx-idle', (e) => e.attempt === 1 && e.bytesIn >= total), STEP_MS, signal);
    bytesBeforeUnplug = total;
    first.hangUp();
    await log.waitFor('link-lost', isEvent('link-lost'), STEP_MS, signal);
    await socket.connection(1);
    await log.waitFor('port-open after re-plug', isEvent('port-open', (e) => e.attempt > 1), STEP_MS, signal);
    meter.push();
    meter.push();
    await log.waitFor('done', isEvent('done'), STEP_MS, signal);
  });
  const expected = meter.sent.filter((s) => !s.torn).flatMap((s) => decodeOnHost(s.bytes));
  return {
    ...r,
    torn: meter.sent.filter((s) => s.torn).flatMap((s) => decodeOnHost(s.bytes)),
    bytesBeforeUnplug,
    expected,
  };
}
