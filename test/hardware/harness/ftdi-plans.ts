import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { Iec62056Decoder } from '../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import type { Reading } from '../../../main/meter/reading.js';
import { SimulatedIec62056Meter } from '../../../main/meter/sim/meters/simulated-iec62056-meter.js';
import { DSMR_TELEGRAMS } from '../guest/plan.js';
import { isEvent, withoutReceivedAt, type DriveContext, type ScenarioPlan } from './family-run.js';
import { PacedDsmrMeter, RecordingLine } from './test-meters.js';

/** One guest step under TCG on a loaded 2-core machine, with margin. */
export const STEP_MS = 90_000;

/** What the project's DSMR decoder makes of the exact bytes a meter sent (the expected readings). */
export function decodeDsmr(bytes: Uint8Array): Omit<Reading, 'receivedAt'>[] {
  const out: Omit<Reading, 'receivedAt'>[] = [];
  const d = new DsmrDecoder((e) => {
    if (e.kind === 'reading') out.push(withoutReceivedAt(e.reading));
  });
  d.push(bytes, 0);
  return out;
}

export function decodeIec(chunks: readonly Uint8Array[]): Omit<Reading, 'receivedAt'>[] {
  const out: Omit<Reading, 'receivedAt'>[] = [];
  const d = new Iec62056Decoder((e) => {
    if (e.kind === 'reading') out.push(withoutReceivedAt(e.reading));
  });
  for (const c of chunks) d.push(c, 0);
  return out;
}

/** DSMR: once the guest reports the port open, the meter pushes its telegrams back to back. */
function dsmrDrive(meter: PacedDsmrMeter) {
  return async ({ log, from, signal }: DriveContext): Promise<void> => {
    await log.waitFor('port-open', isEvent('port-open'), STEP_MS, signal, from);
    for (let i = 0; i < DSMR_TELEGRAMS; i++) meter.push();
  };
}

export interface UnplugMark {
  bytesBeforeUnplug: number;
  /** Meter-socket connections (QEMU plug-ins) before and after the scenario. */
  connectionsBefore: number;
  connectionsAfter: number;
}

/**
 * Two whole telegrams, then half of a third — the host waits until the guest has those bytes —
 * then the meter side hangs up, which unplugs the adapter in the guest. QEMU dials again a
 * second later (re-plug); once the guest has reopened the port, two more whole telegrams.
 */
function unplugDrive(meter: PacedDsmrMeter, mark: UnplugMark) {
  return async ({ log, from, signal, socket }: DriveContext): Promise<void> => {
    if (!socket) throw new Error('the unplug scenario needs the meter socket');
    const base = socket.connections.length - 1;
    mark.connectionsBefore = socket.connections.length;
    const plugged = await socket.connection(base);
    await log.waitFor('port-open', isEvent('port-open', (e) => e.attempt === 1), STEP_MS, signal, from);
    meter.push();
    meter.push();
    await log.waitFor('2 readings', () => log.all.slice(from).filter((e) => e.event === 'reading').length >= 2, STEP_MS, signal);
    meter.push(Math.floor(meter.sent[0]!.bytes.length / 2));
    const total = meter.sent.reduce((n, s) => n + s.delivered, 0);
    await log.waitFor(`receipt of ${total} bytes`, isEvent('rx-idle', (e) => e.attempt === 1 && e.bytesIn >= total), STEP_MS, signal, from);
    mark.bytesBeforeUnplug = total;
    plugged.hangUp();
    await log.waitFor('link-lost', isEvent('link-lost'), STEP_MS, signal, from);
    await socket.connection(base + 1);
    await log.waitFor('port-open after re-plug', isEvent('port-open', (e) => e.attempt > 1), STEP_MS, signal, from);
    mark.connectionsAfter = socket.connections.length;
    meter.push();
    meter.push();
  };
}

/** The host's meters of the FTDI family, kept for the checks after the boot. */
export interface FtdiFamilyMeters {
  readonly dsmr: PacedDsmrMeter;
  readonly iec: RecordingLine<SimulatedIec62056Meter>;
  readonly unplug: PacedDsmrMeter;
  readonly hotplug: PacedDsmrMeter;
  readonly osDsmr: PacedDsmrMeter;
  readonly osIec: RecordingLine<SimulatedIec62056Meter>;
  readonly unplugMark: UnplugMark;
  readonly hotplugMark: UnplugMark;
}

export function ftdiPlans(): { plans: ScenarioPlan[]; meters: FtdiFamilyMeters } {
  const m: FtdiFamilyMeters = {
    dsmr: new PacedDsmrMeter(),
    iec: new RecordingLine(new SimulatedIec62056Meter({ baudChar: '5' })),
    unplug: new PacedDsmrMeter(),
    hotplug: new PacedDsmrMeter(),
    osDsmr: new PacedDsmrMeter(),
    osIec: new RecordingLine(new SimulatedIec62056Meter({ baudChar: '5' })),
    unplugMark: { bytesBeforeUnplug: 0, connectionsBefore: 0, connectionsAfter: 0 },
    hotplugMark: { bytesBeforeUnplug: 0, connectionsBefore: 0, connectionsAfter: 0 },
  };
  return {
    meters: m,
    plans: [
      { name: 'dsmr', meter: m.dsmr, drive: dsmrDrive(m.dsmr), budgetMs: 2 * STEP_MS },
      { name: 'iec', meter: m.iec, budgetMs: 2 * STEP_MS },
      { name: 'unplug', meter: m.unplug, drive: unplugDrive(m.unplug, m.unplugMark), budgetMs: 3 * STEP_MS },
      { name: 'hotplug', meter: m.hotplug, drive: unplugDrive(m.hotplug, m.hotplugMark), budgetMs: 3 * STEP_MS },
      { name: 'os-dsmr', meter: m.osDsmr, drive: dsmrDrive(m.osDsmr), budgetMs: 2 * STEP_MS },
      { name: 'os-iec', meter: m.osIec, budgetMs: 2 * STEP_MS },
    ],
  };
}
