import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName, RequestOf, ResponseOf } from '../../../main/api/contract.js';
import { composeServices, type Services } from '../../../main/compose.js';
import { DetectProber } from '../../../main/diagnostics/index.js';
import { detectMeter } from '../../../main/meter/detect/index.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { silentLogger } from '../../../main/logging/logger.js';
import { usbSerialPort } from '../../../main/meter/usb/index.js';
import { LINE_7E1_9600, until } from './harness.js';

// Diagnostics in the app as the composition root builds it (composeServices, nothing rewired
// here), with a simulated USB bus handed in as its one injected part: the real meter session
// detects and reads the simulated meter through the real FTDI driver, and diagnostics listens
// to what the session publishes. Asked through the contract, as the UI asks.

interface App {
  services: Services;
  backend: SimulatedUsbBackend;
  adapter: SimulatedFtdi;
  deviceId: string;
  ask<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  dispose(): Promise<void>;
}

async function app(adapter: SimulatedFtdi): Promise<App> {
  const backend = new SimulatedUsbBackend();
  backend.plug(adapter);
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-diag-session-'));
  const services = await composeServices({
    dataDir: join(dir, 'data'),
    host: 'cli',
    version: '0.0.0',
    meter: adapter.serialNumber ?? '',
    parts: { usbBackend: backend, serialPorts: async () => [], logger: silentLogger },
  });
  return {
    services,
    backend,
    adapter,
    deviceId: services.meter.discovery.describe(adapter).id,
    async ask(channel, request) {
      const env = await services.dispatch(channel, request, { host: 'cli' });
      if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
      return env.result as never;
    },
    async dispose() {
      await services.dispose();
      backend.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let a: App | null = null;
let meter: SimulatedDsmrMeter | null = null;
afterEach(async () => {
  meter?.detach();
  meter = null;
  await a?.dispose();
  a = null;
});

const findingsWith = (x: App, code: string, timeoutMs = 20_000) =>
  until(code, () => x.ask('diagnostics.findings', {}), (f) => f.findings.some((y) => y.code === code), timeoutMs);

describe('diagnostics in the composed app', () => {
  it('a healthy DSMR 5 meter: LINK_OK, the session\'s count, decoded frames in the log, the meter id hashed in the bundle', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100, equipmentId: 'E0025000123456789' });
    const adapter = new SimulatedFtdi({ serialNumber: 'A50285BI' });
    adapter.connectMeter(meter);
    a = await app(adapter);
    const f = await findingsWith(a, 'LINK_OK');
    expect(f.blocking).toBe(false);
    const snap = await a.ask('diagnostics.snapshot', {});
    expect(snap.link).toMatchObject({ state: 'open', protocol: 'dsmr', family: 'ftdi', path: 'usb', line: LINE_8N1_115200, deviceId: a.deviceId });
    expect(snap.link!.bytesIn).toBeGreaterThan(0);
    expect(snap.usb.devices[0]!.access).toBe('in-use');
    // One count: what diagnostics shows is the session's own.
    const status = await a.ask('meter.session.status', {});
    const link = (await a.ask('diagnostics.snapshot', {})).link!;
    expect(link.checksumErrors).toBe(status.counters.checksumErrors);
    expect(link.framesOk).toBeGreaterThanOrEqual(status.counters.framesOk);
    const { frames } = await a.ask('diagnostics.frames', { limit: 200 });
    expect(frames.some((e) => e.ok && e.protocol === 'dsmr' && e.decoded?.startsWith('reading meter E0025000123456789') && e.hex.startsWith('2f'))).toBe(true);
    const preview = await a.ask('diagnostics.bundlePreview', { frameMinutes: 5 });
    const json = JSON.stringify(preview.bundle);
    expect(json).not.toContain('E0025000123456789');
    expect(json).not.toContain(Buffer.from('E0025000123456789').toString('hex').toUpperCase());
    expect(json).not.toContain('A50285BI');
  }, 30_000);

  it('unplugged: UNPLUGGED while it is out, the reconnects counted with their times, LINK_OK again after re-plugging', async () => {
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    const adapter = new SimulatedFtdi({ serialNumber: 'A50285BI' });
    adapter.connectMeter(meter);
    a = await app(adapter);
    await findingsWith(a, 'LINK_OK');
    a.backend.unplug(a.adapter);
    const f = await findingsWith(a, 'UNPLUGGED');
    expect(f.findings[0]).toMatchObject({ code: 'UNPLUGGED', severity: 'blocking', deviceId: a.deviceId });
    const snap = await until('a reconnect', () => a!.ask('diagnostics.snapshot', {}), (s) => (s.link?.reconnects.length ?? 0) > 0);
    expect(snap.link!.state).not.toBe('open');
    expect(snap.link!.reconnects[0]!.at).toBeGreaterThan(Date.now() - 60_000);
    expect(snap.recentErrors.map((e) => [e.source, e.error.code, e.error.facts['deviceId']])).toContainEqual(['meter.link', 'METER_DEVICE_GONE', a.deviceId]);
    a.backend.plug(a.adapter);
    await findingsWith(a, 'LINK_OK', 45_000);
  }, 70_000);

  it('the session cannot open a cable without permission: the error names the device, the finding gives the command', async () => {
    class NoPermission extends SimulatedFtdi {
      override async open(): Promise<void> {
        throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
      }
    }
    a = await app(new NoPermission({ serialNumber: 'NOPERM01' }));
    const snap = await until('the refusal', () => a!.ask('diagnostics.snapshot', {}), (s) => s.recentErrors.some((e) => e.error.code === 'METER_PERMISSION_DENIED'));
    expect(snap.recentErrors.find((e) => e.error.code === 'METER_PERMISSION_DENIED')).toMatchObject({ source: 'meter.link', error: { facts: { deviceId: a.deviceId } } });
    const f = (await a.ask('diagnostics.findings', {})).findings.find((x) => x.code === 'PERMISSION_DENIED');
    expect(f).toMatchObject({ severity: 'blocking', deviceId: a.deviceId, command: expect.stringContaining('resources/udev/99-wattlet.rules /etc/udev/rules.d/') });
  }, 30_000);
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
