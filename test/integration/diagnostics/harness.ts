import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkStats } from '../../../main/api/diagnostics.js';
import type { EventBus } from '../../../main/api/event-bus.js';
import {
  DiagnosticsService,
  FrameLog,
  LinkMonitor,
  ListenProber,
  monitorPort,
  RecentErrors,
  usbListingFromBackend,
  type FindingThresholds,
  type ProbeCandidate,
} from '../../../main/diagnostics/index.js';
import type { LineSettings } from '../../../main/meter/index.js';
import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/index.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';
import { MeterDiscovery, usbSerialPort } from '../../../main/meter/usb/index.js';

export const LINE_7E1_9600: LineSettings = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };

/**
 * A faulty cable between a simulated meter and the adapter: it damages one byte in the middle of
 * every message, so every telegram arrives at the right speed but fails its CRC.
 */
export class FaultyCable implements SimulatedMeterLine {
  constructor(readonly meter: SimulatedMeterLine) {}
  attach(host: WireHostSide): void {
    this.meter.attach({
      fromMeter: (bytes, sentWith) => {
        const copy = bytes.slice();
        const i = copy.indexOf(0x2e); // a '.' inside a value: damage a digit next to it
        if (i > 0) copy[i + 1] = copy[i + 1] === 0x31 ? 0x32 : 0x31;
        host.fromMeter(copy, sentWith);
      },
    });
  }
  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.meter.toMeter(bytes, sentWith);
  }
  detach(): void {
    this.meter.detach();
  }
}

export interface Harness {
  readonly backend: SimulatedUsbBackend;
  readonly adapter: SimulatedFtdi;
  readonly deviceId: string;
  readonly service: DiagnosticsService;
  readonly monitor: LinkMonitor;
  readonly frameLog: FrameLog;
  readonly errors: RecentErrors;
  readonly dir: string;
  /** Open the adapter at these settings and decode DSMR, as the meter session does. */
  openLink(line: LineSettings): Promise<void>;
  link(): LinkStats | null;
  dispose(): Promise<void>;
}

export const fastCandidates: readonly ProbeCandidate[] = [
  { protocol: 'dsmr', line: { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 }, listenMs: 700 },
  { protocol: 'dsmr', line: LINE_7E1_9600, listenMs: 700 },
];

export function harness(options: { adapter?: SimulatedFtdi; noSubsystem?: boolean; thresholds?: Partial<FindingThresholds>; bus?: EventBus } = {}): Harness {
  const backend = new SimulatedUsbBackend({ noSubsystem: options.noSubsystem ?? false });
  const adapter = options.adapter ?? new SimulatedFtdi({ serialNumber: 'A50285BI' });
  if (!options.noSubsystem) backend.plug(adapter);
  const discovery = new MeterDiscovery({ backend, platform: 'linux' });
  const deviceId = discovery.deviceId(adapter);
  const frameLog = new FrameLog();
  const errors = new RecentErrors();
  const monitor = new LinkMonitor({ tap: frameLog });
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-diag-'));
  const listing = usbListingFromBackend(backend, discovery);
  const openPort = async (id: string | null) => {
    const d = (await backend.getDevices()).find((x) => id === null || discovery.deviceId(x) === id);
    if (!d) throw new Error('no device');
    return usbSerialPort(d);
  };
  const service = new DiagnosticsService({
    usb: listing,
    link: monitor,
    frameLog,
    recentErrors: errors,
    prober: new ListenProber({ openPort, decoders: { dsmr: (l) => new DsmrDecoder(l) }, candidates: fastCandidates, tap: frameLog }),
    appInfo: () => ({ name: 'Wattlet', version: '0.1.0', host: 'cli', mode: 'demo', dataDir: dir }),
    settings: () => ({ language: 'en' }),
    meterIds: () => monitor.meterIds,
    udevRulePath: '/opt/Wattlet/resources/udev/99-wattlet.rules',
    bundleDir: join(dir, 'support'),
    platform: 'linux',
    thresholds: { noDataAfterMs: 800, ...options.thresholds },
    // As the composition root wires them: service callbacks → contract events.
    ...(options.bus
      ? { onFrame: (e) => options.bus!.emit('diagnostics.frame', e), onProbeProgress: (r) => options.bus!.emit('diagnostics.probeProgress', r) }
      : {}),
  });
  const cleanups: Array<() => Promise<void> | void> = [];
  return {
    backend, adapter, deviceId, service, monitor, frameLog, errors, dir,
    async openLink(line) {
      const port = await openPort(deviceId);
      monitor.usePort(port);
      const decoder = new DsmrDecoder((e) => monitor.decoded(e, Date.now()));
      const off = monitorPort(port, decoder, monitor);
      port.onError((e) => errors.record(e, 'meter.session'));
      await port.open(line);
      monitor.opened({ deviceId, family: port.family, path: 'usb', protocol: 'dsmr', line });
      cleanups.push(async () => {
        off();
        await port.close();
      });
    },
    link: () => monitor.linkStats(),
    async dispose() {
      for (const c of cleanups.reverse()) await c();
      await service.dispose();
      await discovery.dispose();
      backend.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `check` holds (polling), or fail with what it last saw. */
export async function until<T>(what: string, get: () => T | Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  let last = await get();
  while (!check(last)) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 400)}`);
    await sleep(50);
    last = await get();
  }
  return last;
}
