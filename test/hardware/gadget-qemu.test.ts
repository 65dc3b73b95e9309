/**
 * The gadget family, one boot: Linux's own USB gadget stack inside the guest (dummy_hcd joins a
 * device controller to a host controller), so the device on the guest's bus is Linux's — not
 * ours. CDC-ACM: Linux's f_acm (its far side /dev/ttyGS0), read by the project's CDC-ACM driver
 * and by Linux's cdc_acm through serialport, with the line coding f_acm received read from the
 * kernel (kprobe). Chips: FunctionFS gadgets that play the project's simulated CH34x, CP210x and
 * PL2303 for Linux's ch341, cp210x and pl2303 — the independent reference for the simulators the
 * project's own drivers are tested against. See test/hardware/README.md.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantity, type Reading } from '../../main/meter/reading.js';
import { CHIP_STEPS, DSMR_TELEGRAMS } from './guest/plan.js';
import { runFamily, type FamilyRun, type ScenarioRun } from './harness/family-run.js';
import { expectedDsmr, expectedIec, gadgetPlans, meterHeard, meterSent } from './harness/gadget-plans.js';
import { prepareRig, type HardwareRig } from './harness/rig.js';
import { qemuGate } from './harness/skip-banner.js';
import { CLEAN, cleanRun, eventsOf, story } from './harness/story.js';
import { collapse } from './harness/trace.js';
import { formatLine } from '../../main/meter/serial/line-settings.js';

const { probe, skip } = qemuGate('gadget family under QEMU');

const text = (b: Uint8Array): string => String.fromCharCode(...b);

/** The line codings Linux's gadget received during the scenario, repeats collapsed. */
function codings(r: ScenarioRun): string[] {
  return collapse(eventsOf(r, 'line-coding').map((e) => e.line));
}

/** What crossed the gadget's tty in an IEC 62056-21 readout, at the coding f_acm had received. */
function iecWire(r: ScenarioRun): { heard: string[][]; sent: string[][] } {
  return {
    heard: meterHeard(r).map((c) => [c.line, text(c.bytes)]),
    sent: meterSent(r).map((c) => [c.line, text(c.bytes).slice(0, 5)]),
  };
}

const IEC_WIRE = {
  heard: [
    ['300 7E1', '/?!\r\n'],
    ['300 7E1', '\x06050\r\n'],
  ],
  sent: [
    ['300 7E1', '/WAT5'],
    ['9600 7E1', '\x020.0.'],
  ],
};

describe.skipIf(skip)('gadget family under QEMU: the project’s code against Linux’s CDC-ACM gadget, and its simulated chips against Linux’s drivers', () => {
  let rig: HardwareRig;
  let run: FamilyRun;
  const scenario = (name: string): { r: ScenarioRun; why: string } => {
    const r = run.scenarios[name]!;
    return { r, why: story(run, r) };
  };

  beforeAll(async () => {
    expect(probe.ok, `QEMU cannot start: ${probe.reason} — apt-get install qemu-system-x86 busybox-static cpio, or WATTLET_SKIP_QEMU=1 to skip`).toBe(true);
    rig = await prepareRig();
    run = await runFamily(rig, 'gadget', gadgetPlans());
  }, 25 * 60_000);

  afterAll(() => {
    if (rig) rmSync(rig.workDir, { recursive: true, force: true });
  });

  it('CDC-ACM, userspace driver: decodes DSMR 5 from a meter on /dev/ttyGS0; Linux’s gadget received 115200 8N1', () => {
    const { r, why } = scenario('acm-dsmr');
    expect(cleanRun(r), why).toEqual(CLEAN);
    // Linux's g_serial IDs, recognised by the CDC interfaces alone.
    expect(eventsOf(r, 'device')[0], why).toMatchObject({ vendorId: 0x0525, productId: 0xa4a7 });
    expect(eventsOf(r, 'kernel').map((e) => e.detail), why).not.toContain('cdc-acm');
    expect(codings(r), why).toEqual(['115200 8N1']);
    const expected = expectedDsmr(r);
    expect(expected.length, why).toBe(DSMR_TELEGRAMS);
    expect(r.readings, why).toEqual(expected);
    expect(eventsOf(r, 'decode-error'), why).toEqual([]);
  });

  it('CDC-ACM, userspace driver: IEC 62056-21 through the meter session; the gadget received 300 7E1 then 9600 7E1', () => {
    const { r, why } = scenario('acm-iec');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(codings(r), why).toEqual(['300 7E1', '9600 7E1']);
    expect(iecWire(r), why).toEqual(IEC_WIRE);
    const expected = expectedIec(r);
    expect(expected.length, why).toBe(1);
    expect(r.readings, why).toEqual(expected);
    expect(quantity(r.readings[0] as Reading, '1.8.0')?.value, why).toBeGreaterThan(0);
  });

  it('CDC-ACM, OS path: Linux’s cdc_acm and serialport decode DSMR; the gadget ends at 115200 8N1', () => {
    const { r, why } = scenario('acm-os-dsmr');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(eventsOf(r, 'kernel').map((e) => e.detail), why).toContain('ttyACM0 bound to cdc_acm');
    // cdc_acm sets 9600 8N1 when it binds (acm_probe); serialport's open then sets the port up.
    const c = codings(r);
    expect(c[c.length - 1], why).toBe('115200 8N1');
    expect(r.readings, why).toEqual(expectedDsmr(r));
    expect(r.readings.length, why).toBe(DSMR_TELEGRAMS);
  });

  it('CDC-ACM, OS path: IEC 62056-21 through cdc_acm with the same codings on the wire as the userspace driver', () => {
    const { r, why } = scenario('acm-os-iec');
    expect(cleanRun(r), why).toEqual(CLEAN);
    expect(iecWire(r), why).toEqual(IEC_WIRE);
    // serialport sets the format, then the speed: the tty's previous 115200 shows for a moment.
    expect(codings(r).slice(-2), why).toEqual(['300 7E1', '9600 7E1']);
    expect(r.readings, why).toEqual(expectedIec(r));
    expect(r.readings.length, why).toBe(1);
  });

  const CHIP_DRIVERS = { 'chip-ch34x': 'ch341-uart', 'chip-cp210x': 'cp210x', 'chip-pl2303-ta': 'pl2303', 'chip-pl2303-g': 'pl2303' } as const;
  for (const [name, driver] of Object.entries(CHIP_DRIVERS)) {
    it(`${name.slice(5)}: Linux’s ${driver} drives the simulated chip; the simulator decodes exactly what stty asked, answers every request, and the data echoes back`, () => {
      const { r, why } = scenario(name);
      expect(cleanRun(r), why).toEqual(CLEAN);
      expect(eventsOf(r, 'kernel').map((e) => e.detail), why).toContain(`ttyUSB0 bound to ${driver}`);
      const steps = eventsOf(r, 'chip-step');
      expect(
        steps.map((s) => [s.asked, s.decoded, s.echoed === s.sent]),
        why,
      ).toEqual(CHIP_STEPS.map((s) => [formatLine(s.line), formatLine(s.line), true]));
      // Every request Linux's driver sent was answered as the real chip answers it (no stall,
      // none answered too late for Linux's timeouts).
      const requests = eventsOf(r, 'chip-request');
      expect(requests.length, why).toBeGreaterThan(5);
      expect(requests.filter((q) => q.outcome !== 'ok'), why).toEqual([]);
    });
  }
});
