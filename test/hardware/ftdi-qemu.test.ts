/**
 * The FTDI family, one boot: QEMU's emulated FT232B — a device model nobody on this project
 * wrote — behind Linux's xHCI driver in a guest under QEMU (TCG), with the project's simulated
 * meters on the adapter's serial side (the host). Through the project's own userspace driver
 * over `usb` (DSMR, IEC 62056-21 with a speed switch, unplug), the hot-plug path (udevd, the
 * shipped udev rule, a non-root user, `usb`'s events), and the OS-serial path (Linux's ftdi_sio
 * and `serialport`). See test/hardware/README.md.
 *
 * Skips (loudly) only when WATTLET_SKIP_QEMU=1 says so; a QEMU that cannot start is a failure.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantity, type Reading } from '../../main/meter/reading.js';
import { formatLine } from '../../main/meter/serial/line-settings.js';
import { HOTPLUG_BACKOFF_MS } from './guest/plan.js';
import { runFamily, type FamilyRun, type ScenarioRun } from './harness/family-run.js';
import { decodeDsmr, decodeIec, ftdiPlans, type FtdiFamilyMeters } from './harness/ftdi-plans.js';
import { prepareRig, type HardwareRig } from './harness/rig.js';
import { qemuGate } from './harness/skip-banner.js';
import { CLEAN, cleanRun, eventsOf, story } from './harness/story.js';
import type { RecordingLine } from './harness/test-meters.js';
import type { SimulatedIec62056Meter } from '../../main/meter/sim/meters/simulated-iec62056-meter.js';

const { probe, skip } = qemuGate('FTDI family under QEMU');

const text = (b: Uint8Array): string => String.fromCharCode(...b);

/** What crossed the wire in an IEC 62056-21 readout, with the settings each side used. */
function iecWire(meter: RecordingLine<SimulatedIec62056Meter>): { toMeter: string[][]; fromMeter: string[][] } {
  return {
    toMeter: meter.toMeterLog.map((m) => [formatLine(m.sentWith), text(m.bytes)]),
    fromMeter: meter.fromMeter.map((m) => [formatLine(m.sentWith), text(m.bytes).slice(0, 5)]),
  };
}

const IEC_WIRE = {
  toMeter: [
    ['300 7E1', '/?!\r\n'],
    ['300 7E1', '\x06050\r\n'],
  ],
  fromMeter: [
    ['300 7E1', '/WAT5'],
    ['9600 7E1', '\x020.0.'],
  ],
};

describe.skipIf(skip)('FTDI family under QEMU: the project’s code against QEMU’s emulated FT232B, Linux’s ftdi_sio and udev', () => {
  let rig: HardwareRig;
  let run: FamilyRun;
  let m: FtdiFamilyMeters;
  const scenario = (name: string): { r: ScenarioRun; why: string } => {
    const r = run.scenarios[name]!;
    return { r, why: story(run, r) };
  };

  beforeAll(async () => {
    expect(probe.ok, `QEMU cannot start: ${probe.reason} — apt-get install qemu-system-x86 busybox-static cpio, or WATTLET_SKIP_QEMU=1 to skip`).toBe(true);
    rig = await prepareRig();
    const p = ftdiPlans();
    m = p.meters;
    run = await runFamily(rig, 'ftdi', p.plans);
  }, 25 * 60_000);

  afterAll(() => {
    if (rig) rmSync(rig.workDir, { recursive: true, force: true });
  });

  it('boots with only the xHCI host modules: no kernel serial driver owns the adapter in the userspace scenarios', () => {
    const modules = /WATTLET-BOOT modules (.*)/.exec(run.qemu.console)?.[1] ?? '';
    expect(modules, story(run, undefined)).toContain('xhci_pci');
    expect(modules).not.toMatch(/ftdi_sio|usbserial/);
    for (const name of ['dsmr', 'iec', 'unplug', 'hotplug']) {
      expect(eventsOf(run.scenarios[name]!, 'kernel').filter((e) => e.what === 'insmod'), name).toEqual([]);
    }
  });

  it('userspace driver: decodes DSMR 5 telegrams at 115200 8N1, exactly as sent', () => {
    const { r, why } = scenario('dsmr');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(eventsOf(r, 'device')[0], why).toMatchObject({ vendorId: 0x0403, productId: 0x6001 });
    // QEMU's model derives 3 MHz / (26 + 0/8) = 115384 baud from the divisor the driver sent.
    expect(r.chipSetups, why).toEqual(['115384 8N1']);
    const expected = m.dsmr.sent.flatMap((s) => decodeDsmr(s.bytes));
    expect(expected.length, why).toBe(5);
    expect(r.readings, why).toEqual(expected);
    expect(eventsOf(r, 'decode-error'), why).toEqual([]);
    expect(new Set(r.readings.map((x) => x.meterTime)).size, why).toBe(5);
  });

  it('userspace driver: reads IEC 62056-21 through the meter session, sign-on at 300 7E1 and data at 9600 7E1 (QEMU’s trace)', () => {
    const { r, why } = scenario('iec');
    expect(cleanRun(r), why).toEqual(CLEAN);
    // The chip's own view: 3 MHz / 10000 = 300, then 3 MHz / 312.5 = 9600, both 7 data bits, even parity.
    expect(r.chipSetups, why).toEqual(['300 7E1', '9600 7E1']);
    expect(iecWire(m.iec), why).toEqual(IEC_WIRE);
    const expected = decodeIec(m.iec.fromMeter.map((x) => x.bytes));
    expect(expected.length, why).toBe(1);
    expect(r.readings, why).toEqual(expected);
    expect(quantity(r.readings[0] as Reading, '1.8.0')?.value, why).toBeGreaterThan(0);
  });

  it('userspace driver: the session reports an unplug mid-telegram, reconnects after the re-plug, no reading of the torn telegram', () => {
    const { r, why } = scenario('unplug');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(m.unplugMark.connectionsAfter - m.unplugMark.connectionsBefore, why).toBe(1);
    const lost = eventsOf(r, 'link-lost');
    expect(lost.map((e) => e.code), why).toEqual(['METER_DEVICE_GONE']);
    // The first half of the torn telegram had reached the driver when the plug was pulled.
    expect(lost[0]!.bytesIn, why).toBe(m.unplugMark.bytesBeforeUnplug);
    const opens = r.events.filter((e) => e.event === 'port-open' || e.event === 'link-lost').map((e) => e.event);
    expect(opens.slice(0, 3), why).toEqual(['port-open', 'link-lost', 'port-open']);
    const torn = m.unplug.sent.filter((s) => s.torn).flatMap((s) => decodeDsmr(s.bytes));
    expect(torn.length, why).toBe(1);
    const expected = m.unplug.sent.filter((s) => !s.torn).flatMap((s) => decodeDsmr(s.bytes));
    expect(expected.length, why).toBe(4);
    expect(r.readings, why).toEqual(expected);
    expect(r.readings.map((x) => x.meterTime), why).not.toContain(torn[0]!.meterTime);
  });

  it('hot-plug: as a non-root user with the shipped udev rule, the session reconnects on udev’s attach event, not by polling', () => {
    const { r, why } = scenario('hotplug');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(eventsOf(r, 'kernel').map((e) => e.what), why).toContain('udevd');
    // The seat user (uid 1000) opened a node its mode bits do not let it write: the ACL from the rule did.
    const access = eventsOf(r, 'access');
    expect(access.filter((a) => a.opened).length, why).toBe(2);
    for (const a of access) {
      expect(a.uid, why).toBe(1000);
      expect(a.owner, why).toBe(0);
      expect(parseInt(a.mode, 8) & 0o002, why).toBe(0);
    }
    // Unplug, then the attach event, then the reopen — with the session's own retry ten minutes away
    // and the backend's polling as far off.
    const at = (pred: (e: (typeof r.events)[number]) => boolean, from = 0): number => r.events.findIndex((e, i) => i >= from && pred(e));
    const lost = at((e) => e.event === 'link-lost');
    const gone = at((e) => e.event === 'hotplug' && e.kind === 'disconnect' && e.vidPid === '0403:6001');
    const back = at((e) => e.event === 'hotplug' && e.kind === 'connect' && e.vidPid === '0403:6001', gone);
    const reopened = at((e) => e.event === 'port-open' && e.attempt === 2);
    expect([lost, gone].every((i) => i >= 0), why).toBe(true);
    expect(gone < back && back < reopened, why).toBe(true);
    expect(eventsOf(r, 'link-lost').map((e) => e.code), why).toEqual(['METER_DEVICE_GONE']);
    expect(HOTPLUG_BACKOFF_MS).toBeGreaterThanOrEqual(600_000);
    expect(r.durationMs, why).toBeLessThan(HOTPLUG_BACKOFF_MS / 2);
    expect(eventsOf(r, 'log').map((e) => e.message), why).toContain('hot-plug watched by events; session ran');
    // The app's device list while the session reads (every listed device has a transfer pending).
    expect(eventsOf(r, 'log').map((e) => e.message), why).toContain('listed while reading: 0403:6001 ftdi');
    expect(m.hotplugMark.connectionsAfter - m.hotplugMark.connectionsBefore, why).toBe(1);
    expect(r.readings, why).toEqual(m.hotplug.sent.filter((s) => !s.torn).flatMap((s) => decodeDsmr(s.bytes)));
  });

  it('OS-serial path: Linux’s ftdi_sio and serialport decode DSMR at the same chip settings as the userspace driver', () => {
    const { r, why } = scenario('os-dsmr');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(eventsOf(r, 'kernel').map((e) => e.detail), why).toContain('ttyUSB0 bound to ftdi_sio');
    // What data crossed at: the same 3 MHz / 26 the userspace driver chose.
    expect(r.chipStates[r.chipStates.length - 1], why).toBe('115384 8N1');
    expect(r.readings, why).toEqual(m.osDsmr.sent.flatMap((s) => decodeDsmr(s.bytes)));
  });

  it('OS-serial path: IEC 62056-21 through ftdi_sio with the same chip settings on the wire as the userspace driver (QEMU’s trace)', () => {
    const { r, why } = scenario('os-iec');
    expect(cleanRun(r), why).toEqual(CLEAN);
    // Every byte crossed at the settings it crosses at with the userspace driver (IEC_WIRE, as in 'iec').
    expect(iecWire(m.osIec), why).toEqual(IEC_WIRE);
    const states = r.chipStates;
    expect(states.indexOf('300 7E1'), why).toBeGreaterThan(-1);
    expect(states.indexOf('9600 7E1'), why).toBeGreaterThan(states.indexOf('300 7E1'));
    expect(states[states.length - 1], why).toBe('9600 7E1');
    expect(r.readings, why).toEqual(decodeIec(m.osIec.fromMeter.map((x) => x.bytes)));
  });
});
