import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';
import { FaultyCable, harness, LINE_7E1_9600, until, type Harness } from './harness.js';

// Each finding from the simulated fault that causes it: simulated USB adapters (meter/sim/adapters)
// and simulated meters (meter/sim/meters) behind the real drivers, port and DSMR decoder.

/** An FTDI cable whose device node the user may not open (no udev rule): libusb says ACCESS. */
class NoPermissionFtdi extends SimulatedFtdi {
  override async open(): Promise<void> {
    throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
  }
}

/** An FTDI cable whose interface a kernel driver holds and will not let go (detach fails). */
class KernelClaimedFtdi extends SimulatedFtdi {
  detachKernelDriver = async (_n: number): Promise<void> => {
    throw new Error('LIBUSB_ERROR_NOT_FOUND: Entity not found');
  };
  override async claimInterface(_n: number): Promise<void> {
    throw new Error('LIBUSB_ERROR_BUSY: Resource busy');
  }
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

const codesOf = async (x: Harness) => (await x.service.findings()).findings.map((f) => f.code);

describe('findings from simulated faults', () => {
  it('no USB subsystem: blocking', async () => {
    h = harness({ noSubsystem: true });
    const r = await h.service.findings();
    expect(r.findings[0]).toMatchObject({ code: 'NO_USB_SUBSYSTEM', severity: 'blocking' });
    expect(r.blocking).toBe(true);
  });

  it('permission denied: the device shows permission-denied and the finding carries the udev command', async () => {
    h = harness({ adapter: new NoPermissionFtdi({ serialNumber: 'A50285BI' }) });
    const snap = await h.service.snapshot();
    expect(snap.usb.devices[0]).toMatchObject({ access: 'permission-denied', accessError: { code: 'METER_PERMISSION_DENIED' } });
    const f = (await h.service.findings(snap)).findings.find((x) => x.code === 'PERMISSION_DENIED');
    expect(f).toMatchObject({ severity: 'blocking', deviceId: h.deviceId });
    expect(f!.command).toBe(
      'sudo cp /opt/Wattlet/resources/udev/99-wattlet.rules /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger',
    );
  });

  it('interface claimed by a kernel driver: the auto-probe cannot claim it, and the finding is blocking', async () => {
    h = harness({ adapter: new KernelClaimedFtdi({ serialNumber: 'A50285BI' }) });
    // Checking access only opens the device (a detach would steal the tty from other programs).
    expect((await h.service.snapshot()).usb.devices[0]!.access).toBe('free');
    await h.service.startProbe(null);
    const report = await until('probe done', () => h!.service.probes.last!, (r) => r.state !== 'running', 10_000);
    // The adapter could not be opened at all: the probe fails with its error, naming the device.
    expect(report).toMatchObject({ state: 'failed', attempts: [], error: { code: 'METER_INTERFACE_CLAIMED', facts: { deviceId: h.deviceId } } });
    const snap = await h.service.snapshot();
    expect(snap.usb.devices[0]).toMatchObject({ access: 'claimed', accessError: { code: 'METER_INTERFACE_CLAIMED' } });
    expect((await h.service.findings(snap)).findings.map((f) => [f.code, f.severity])).toContainEqual(['INTERFACE_CLAIMED', 'blocking']);
  });

  it('a free adapter with no link is information only, and checking it leaves it closed and unclaimed', async () => {
    h = harness();
    const snap = await h.service.snapshot();
    expect(snap.usb.devices[0]).toMatchObject({ access: 'free', family: 'ftdi', vidPid: '0403:6001' });
    expect(h.adapter.opened).toBe(false);
    expect(await codesOf(h)).toEqual(['NO_LINK']);
  });

  it('no data at 115200 8N1: the P1 port may be disabled', async () => {
    h = harness(); // no meter on the wire: the P1 port says nothing
    await h.openLink(LINE_8N1_115200);
    const r = await until('NO_DATA_P1', () => h!.service.findings(), (r) => r.findings.some((f) => f.code === 'NO_DATA_P1'));
    expect(r.findings[0]).toMatchObject({ code: 'NO_DATA_P1', severity: 'blocking', facts: { line: '115200 8N1' } });
    expect(h.link()!.bytesIn).toBe(0);
  });

  it('wrong speed: a DSMR 5 meter at 115200 read at 9600 7E1 gives garbage and UART errors', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100, equipmentId: 'E0025000999888777' });
    h.adapter.connectMeter(meter);
    await h.openLink(LINE_7E1_9600);
    const r = await until('WRONG_SPEED', () => h!.service.findings(), (r) => r.findings.some((f) => f.code === 'WRONG_SPEED'));
    const link = h.link()!;
    expect(link.framesOk).toBe(0);
    expect(link.bytesIn).toBeGreaterThan(0);
    expect(link.lineErrors.framing + link.lineErrors.parity).toBeGreaterThan(0);
    expect(r.findings[0]).toMatchObject({ code: 'WRONG_SPEED', severity: 'blocking', facts: { line: '9600 7E1' } });
    meter.detach();
  });

  it('checksum errors on every telegram: a faulty cable at the right speed', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    h.adapter.connectMeter(new FaultyCable(meter));
    await h.openLink(LINE_8N1_115200);
    const r = await until('CHECKSUM_EVERY_FRAME', () => h!.service.findings(), (r) => r.findings.some((f) => f.code === 'CHECKSUM_EVERY_FRAME'));
    expect(r.findings[0]!.severity).toBe('blocking');
    expect(h.link()).toMatchObject({ framesOk: 0 });
    expect(h.link()!.checksumErrors).toBeGreaterThanOrEqual(3);
    // The frame log holds the failed telegrams, hex and error side by side.
    const failed = h.frameLog.query({ errorsOnly: true });
    expect(failed[0]).toMatchObject({ ok: false, error: { code: 'METER_CHECKSUM' }, protocol: 'dsmr' });
    expect(failed[0]!.hex.startsWith('2f')).toBe(true); // '/' starts a telegram
    meter.detach();
  });

  it('a good link is LINK_OK, with frames decoded in the log', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    h.adapter.connectMeter(meter);
    await h.openLink(LINE_8N1_115200);
    const r = await until('LINK_OK', () => h!.service.findings(), (r) => r.findings.some((f) => f.code === 'LINK_OK'));
    expect(r.blocking).toBe(false);
    const frames = h.frameLog.query();
    expect(frames.at(-1)!.decoded).toMatch(/^reading meter /);
    const snap = await h.service.snapshot();
    expect(snap.usb.devices[0]!.access).toBe('in-use');
    meter.detach();
  });

  it('unplugged mid-stream: the link fails with METER_DEVICE_GONE and the finding says so', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    h.adapter.connectMeter(meter);
    await h.openLink(LINE_8N1_115200);
    await until('frames', () => h!.link()!.framesOk, (n) => n > 0);
    h.backend.unplug(h.adapter);
    // The session lost the adapter and waits to reconnect.
    await until('link lost', () => h!.link()!.state, (s) => s === 'reconnecting');
    expect(h.link()!.lastError?.code).toBe('METER_DEVICE_GONE');
    const r = await h.service.findings();
    expect(r.findings[0]).toMatchObject({ code: 'UNPLUGGED', severity: 'blocking', deviceId: h.deviceId });
    expect(h.errors.list().map((e) => e.error.code)).toContain('METER_DEVICE_GONE');
  });
});

describe('auto-probe on simulated meters', () => {
  it('finds a DSMR 2.2 meter at 9600 7E1 after trying 115200 8N1, reporting each attempt', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '2.2', intervalMs: 150 });
    h.adapter.connectMeter(meter);
    const progress: string[] = [];
    const started = await h.service.startProbe(h.deviceId);
    expect(started.state).toBe('running');
    await expect(h.service.startProbe(h.deviceId)).rejects.toMatchObject({ code: 'DIAG_PROBE_BUSY' });
    const report = await until('probe done', () => h!.service.probes.last!, (r) => r.state !== 'running', 10_000);
    for (const a of report.attempts) progress.push(`${a.line.baudRate}:${a.outcome}`);
    expect(report.state).toBe('done');
    expect(report.found).toEqual({ protocol: 'dsmr', line: LINE_7E1_9600 });
    expect(progress[0]).toMatch(/^115200:(garbled|checksum)$/);
    expect(progress[1]).toBe('9600:ok');
    expect((await h.service.findings()).findings.map((f) => f.code)).toContain('PROBE_FOUND');
    meter.detach();
  });

  it('with nothing on the wire, every attempt is no-data and the probe finds nothing', async () => {
    h = harness();
    await h.service.startProbe(null);
    const report = await until('probe done', () => h!.service.probes.last!, (r) => r.state !== 'running', 10_000);
    expect(report.deviceId).toBe(h.deviceId); // the first free adapter
    expect(report.attempts.map((a) => a.outcome)).toEqual(['no-data', 'no-data']);
    expect((await h.service.findings()).findings[0]).toMatchObject({ code: 'PROBE_NOTHING', facts: { anyBytes: false } });
  });

  it('can be cancelled', async () => {
    h = harness();
    const { probeId } = await h.service.startProbe(null);
    const report = await h.service.cancelProbe(probeId);
    expect(report.state).toBe('cancelled');
    await expect(h.service.cancelProbe(probeId)).rejects.toMatchObject({ code: 'DIAG_PROBE_NOT_FOUND' });
  });

  it('refuses to probe the adapter the meter session holds', async () => {
    h = harness();
    await h.openLink(LINE_8N1_115200);
    await expect(h.service.startProbe(h.deviceId)).rejects.toMatchObject({ code: 'DIAG_PROBE_DEVICE_IN_USE', facts: { deviceId: h.deviceId } });
    await expect(h.service.startProbe(null)).rejects.toMatchObject({ code: 'DIAG_PROBE_DEVICE_IN_USE' });
  });

  it('reports a permission problem as the probe\'s error, naming the device, and tries nothing else', async () => {
    h = harness({ adapter: new NoPermissionFtdi({ serialNumber: 'A50285BI' }) });
    await h.service.startProbe(null);
    const report = await until('probe done', () => h!.service.probes.last!, (r) => r.state !== 'running', 10_000);
    expect(report).toMatchObject({ state: 'failed', attempts: [], error: { code: 'METER_PERMISSION_DENIED', facts: { deviceId: h.deviceId } } });
    expect(h.errors.list().at(-1)).toMatchObject({ source: 'diagnostics.probe', error: { code: 'METER_PERMISSION_DENIED' } });
  });
});

describe('snapshots', () => {
  it('concurrent snapshots share one access check', async () => {
    h = harness();
    let opens = 0;
    const open = h.adapter.open.bind(h.adapter);
    h.adapter.open = async () => {
      opens++;
      await open();
    };
    const [a, b] = await Promise.all([h.service.snapshot(), h.service.snapshot()]);
    expect(a).toBe(b);
    expect(opens).toBe(1);
    await h.service.snapshot();
    expect(opens).toBe(2);
  });
});
