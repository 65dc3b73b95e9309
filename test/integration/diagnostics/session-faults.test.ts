import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WattletError } from '../../../main/api/errors.js';
import {
  DetectProber,
  DiagnosticsService,
  FrameLog,
  LinkMonitor,
  observePort,
  RecentErrors,
  SessionLinkSource,
  usbListingFromBackend,
} from '../../../main/diagnostics/index.js';
import { detectMeter } from '../../../main/meter/detect/index.js';
import { LINE_8N1_115200, type LineSettings, type MeterProtocol } from '../../../main/meter/index.js';
import { createDecoder } from '../../../main/meter/protocols/create-decoder.js';
import { MeterSession } from '../../../main/meter/session/index.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import type { SimulatedMeterLine } from '../../../main/meter/sim/wire.js';
import { MeterDiscovery, usbSerialPort } from '../../../main/meter/usb/index.js';
import { FaultyCable, LINE_7E1_9600, until } from './harness.js';

// The same faults, with the protocols room's real MeterSession reading the simulated meter and
// diagnostics observing the port it opens (as the composition root wires it).

interface Rig {
  service: DiagnosticsService;
  session: MeterSession;
  backend: SimulatedUsbBackend;
  adapter: SimulatedFtdi;
  frameLog: FrameLog;
  deviceId: string;
  dispose(): Promise<void>;
}

function rig(meter: SimulatedMeterLine | null, line: LineSettings): Rig {
  const backend = new SimulatedUsbBackend();
  const adapter = new SimulatedFtdi({ serialNumber: 'A50285BI' });
  if (meter) adapter.connectMeter(meter);
  backend.plug(adapter);
  const discovery = new MeterDiscovery({ backend, platform: 'linux' });
  const deviceId = discovery.describe(adapter).id;
  const frameLog = new FrameLog();
  const errors = new RecentErrors();
  const monitor = new LinkMonitor({ tap: frameLog });
  const decoder = (p: string, l: Parameters<typeof createDecoder>[1]) => createDecoder(p as MeterProtocol, l);
  const openDevice = async (id: string | null) => {
    const d = (await backend.getDevices()).find((x) => id === null || discovery.describe(x).id === id);
    if (!d) throw new WattletError('METER_DEVICE_GONE', 'The adapter is not plugged in', { deviceId: id });
    return usbSerialPort(d);
  };
  const session: MeterSession = new MeterSession({
    openPort: async () => {
      try {
        const port = observePort(await openDevice(deviceId), monitor, { deviceId, protocol: () => session.status().protocol, decoder });
        port.onError((e) => errors.record(e, 'meter.session'));
        return port;
      } catch (e) {
        errors.record(e, 'meter.session');
        throw e;
      }
    },
    target: { protocol: 'dsmr', line },
    timing: { silenceMs: 700, pollMs: 500 },
    backoff: { initialMs: 100, maxMs: 200 },
  });
  const link = new SessionLinkSource(session, monitor, { deviceId });
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-diag-session-'));
  const service = new DiagnosticsService({
    usb: usbListingFromBackend(backend, discovery),
    link,
    frameLog,
    recentErrors: errors,
    prober: new DetectProber({ openPort: openDevice, detect: detectMeter, options: { listenMs: 700, probeMs: 300 } }),
    appInfo: () => ({ name: 'Wattlet' }),
    meterIds: () => monitor.meterIds,
    udevRulePath: '/opt/Wattlet/resources/udev/99-wattlet.rules',
    bundleDir: dir,
    platform: 'linux',
    thresholds: { noDataAfterMs: 60_000 },
  });
  session.start();
  return {
    service, session, backend, adapter, frameLog, deviceId,
    async dispose() {
      await session.dispose();
      link.dispose();
      await service.dispose();
      await discovery.dispose();
      backend.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let r: Rig | null = null;
let meter: SimulatedDsmrMeter | null = null;
afterEach(async () => {
  meter?.detach();
  meter = null;
  await r?.dispose();
  r = null;
});

const findingsWith = (x: Rig, code: string, timeoutMs = 6000) =>
  until(code, () => x.service.findings(), (f) => f.findings.some((y) => y.code === code), timeoutMs);

describe('findings with the real meter session', () => {
  it('a healthy DSMR 5 meter: LINK_OK, counters from the session, decoded frames in the log', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100, equipmentId: 'E0025000123456789' });
    r = rig(meter, LINE_8N1_115200);
    const f = await findingsWith(r, 'LINK_OK');
    expect(f.blocking).toBe(false);
    const snap = await r.service.snapshot();
    expect(snap.link).toMatchObject({ state: 'open', protocol: 'dsmr', family: 'ftdi', path: 'usb', line: LINE_8N1_115200 });
    expect(snap.link!.framesOk).toBeGreaterThan(0);
    expect(snap.link!.bytesIn).toBeGreaterThan(0);
    expect(snap.usb.devices[0]!.access).toBe('in-use');
    const frames = r.frameLog.query();
    expect(frames.some((e) => e.ok && e.protocol === 'dsmr' && e.decoded?.startsWith('reading meter E0025000123456789') && e.hex.startsWith('2f'))).toBe(true);
    // …and the bundle carries them with the meter id gone.
    const preview = await r.service.bundlePreview(5);
    const json = JSON.stringify(preview.bundle);
    expect(json).not.toContain('E0025000123456789');
    expect(json).not.toContain(Buffer.from('E0025000123456789').toString('hex').toUpperCase());
    expect(json).not.toContain('A50285BI');
  });

  it('no data at 115200 8N1: after the session\'s silence limit, NO_DATA_P1', async () => {
    r = rig(null, LINE_8N1_115200);
    const f = await findingsWith(r, 'NO_DATA_P1');
    expect(f.findings[0]).toMatchObject({ code: 'NO_DATA_P1', severity: 'blocking', facts: { line: '115200 8N1' } });
  });

  it('checksum errors on every telegram (faulty cable): CHECKSUM_EVERY_FRAME', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    r = rig(new FaultyCable(meter), LINE_8N1_115200);
    const f = await findingsWith(r, 'CHECKSUM_EVERY_FRAME');
    expect(f.findings[0]!.severity).toBe('blocking');
    expect(r.frameLog.query({ errorsOnly: true })[0]).toMatchObject({ error: { code: 'METER_CHECKSUM' } });
  });

  it('wrong speed (DSMR 5 meter read at 9600 7E1): WRONG_SPEED', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    r = rig(meter, LINE_7E1_9600);
    const f = await findingsWith(r, 'WRONG_SPEED');
    expect(f.findings[0]).toMatchObject({ code: 'WRONG_SPEED', facts: { line: '9600 7E1' } });
  });

  it('unplugged: UNPLUGGED while it is out, and the reconnects are counted with their times', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    r = rig(meter, LINE_8N1_115200);
    await findingsWith(r, 'LINK_OK');
    r.backend.unplug(r.adapter);
    const f = await findingsWith(r, 'UNPLUGGED');
    expect(f.findings[0]).toMatchObject({ code: 'UNPLUGGED', severity: 'blocking', deviceId: r.deviceId });
    const link = (await until('a reconnect', () => r!.service.snapshot(), (s) => (s.link?.reconnects.length ?? 0) > 0)).link!;
    expect(link.state).not.toBe('open');
    expect(link.reconnects[0]!.at).toBeGreaterThan(Date.now() - 60_000);
    r.backend.plug(r.adapter);
    await findingsWith(r, 'LINK_OK');
  });
});

describe('auto-probe with meter/detect', () => {
  it('finds a DSMR 2.2 meter at 9600 7E1, reporting each attempt', async () => {
    meter = new SimulatedDsmrMeter({ version: '2.2', intervalMs: 150 });
    const backend = new SimulatedUsbBackend();
    const adapter = new SimulatedFtdi({ serialNumber: 'P1' });
    adapter.connectMeter(meter);
    backend.plug(adapter);
    const prober = new DetectProber({ openPort: () => usbSerialPort(adapter), detect: detectMeter, options: { listenMs: 700 } });
    const seen: string[] = [];
    const result = await prober.run({ deviceId: null, signal: new AbortController().signal, onAttempt: (a) => seen.push(`${a.protocol} ${a.line.baudRate}:${a.outcome}`) });
    expect(result.found).toEqual({ protocol: 'dsmr', line: LINE_7E1_9600 });
    expect(seen.at(-1)).toBe('dsmr 9600:ok');
    expect(seen[0]).toMatch(/^dsmr 115200:(garbled|checksum|no-data)$/);
    backend.dispose();
  });
});

describe('wired with createDiagnostics, as the composition root does', () => {
  it('the session cannot open a cable without permission: the error names the device, the finding gives the command', async () => {
    const { createDiagnostics, RecentErrors: Errors } = await import('../../../main/diagnostics/index.js');
    const { EventBus } = await import('../../../main/api/event-bus.js');
    class NoPermission extends SimulatedFtdi {
      override async open(): Promise<void> {
        throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
      }
    }
    const backend = new SimulatedUsbBackend();
    const adapter = new NoPermission({ serialNumber: 'NOPERM01' });
    backend.plug(adapter);
    const discovery = new MeterDiscovery({ backend, platform: 'linux' });
    const deviceId = discovery.describe(adapter).id;
    const frameLog = new FrameLog();
    const monitor = new LinkMonitor({ tap: frameLog });
    const recentErrors = new Errors();
    const openDevice = async () => usbSerialPort(adapter);
    const session: MeterSession = new MeterSession({
      openPort: async () => observePort(await openDevice(), monitor, { deviceId, protocol: () => session.status().protocol, decoder: (p, l) => createDecoder(p as MeterProtocol, l) }),
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      backoff: { initialMs: 100, maxMs: 200 },
    });
    const link = new SessionLinkSource(session, monitor, { deviceId: null });
    const bus = new EventBus();
    const diagnostics = createDiagnostics({
      backend, discovery, link, monitor, frameLog, recentErrors, openDevice, serialPorts: async () => [], bus,
      appInfo: () => ({ name: 'Wattlet' }), settings: () => null, dataDir: tmpdir(), root: '/opt/Wattlet',
    });
    session.start();
    try {
      await until('the refusal', () => recentErrors.list(), (l) => l.some((e) => e.error.code === 'METER_PERMISSION_DENIED'));
      expect(recentErrors.list()[0]).toMatchObject({ source: 'meter.link', error: { code: 'METER_PERMISSION_DENIED', facts: { deviceId } } });
      const f = (await diagnostics.service.findings()).findings.find((x) => x.code === 'PERMISSION_DENIED');
      expect(f).toMatchObject({ severity: 'blocking', deviceId, command: expect.stringContaining('sudo cp /opt/Wattlet/resources/udev/99-wattlet.rules /etc/udev/rules.d/') });
    } finally {
      await session.dispose();
      link.dispose();
      await diagnostics.dispose();
      await discovery.dispose();
      backend.dispose();
      bus.dispose();
    }
  });
});
