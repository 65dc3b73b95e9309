import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkStats } from '../../../main/api/diagnostics.js';
import type { EventBus } from '../../../main/api/event-bus.js';
import {
  DetectProber,
  DiagnosticsService,
  FrameLog,
  RecentErrors,
  SessionFrames,
  SessionLink,
  usbListingFromBackend,
  type FindingThresholds,
} from '../../../main/diagnostics/index.js';
import { detectMeter, type DetectCandidate } from '../../../main/meter/detect/index.js';
import type { LineSettings } from '../../../main/meter/index.js';
import { MeterSession } from '../../../main/meter/session/index.js';
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
  readonly frameLog: FrameLog;
  readonly errors: RecentErrors;
  readonly dir: string;
  /** Run the real meter session on the adapter, reading DSMR at these settings, and wait until it reads. */
  openLink(line: LineSettings): Promise<void>;
  link(): LinkStats | null;
  dispose(): Promise<void>;
}

/** The detector's push candidates only, listened to briefly: the probe's attempts in a test's time. */
export const fastCandidates: readonly DetectCandidate[] = [
  { protocol: 'dsmr', line: { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 }, probe: null },
  { protocol: 'dsmr', line: LINE_7E1_9600, probe: null },
];

export function harness(options: { adapter?: SimulatedFtdi; noSubsystem?: boolean; thresholds?: Partial<FindingThresholds>; bus?: EventBus } = {}): Harness {
  const backend = new SimulatedUsbBackend({ noSubsystem: options.noSubsystem ?? false });
  const adapter = options.adapter ?? new SimulatedFtdi({ serialNumber: 'A50285BI' });
  if (!options.noSubsystem) backend.plug(adapter);
  const discovery = new MeterDiscovery({ backend, platform: 'linux' });
  const deviceId = discovery.deviceId(adapter);
  const frameLog = new FrameLog();
  const errors = new RecentErrors();
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-diag-'));
  const listing = usbListingFromBackend(backend, discovery);
  const openPort = async (id: string | null) => {
    const d = (await backend.getDevices()).find((x) => id === null || discovery.deviceId(x) === id);
    if (!d) throw new Error('no device');
    return usbSerialPort(d);
  };
  // The session comes with openLink; until then diagnostics sees no link, as with no meter selected.
  let link: SessionLink | null = null;
  let frames: SessionFrames | null = null;
  const service = new DiagnosticsService({
    usb: listing,
    link: { linkStats: () => link?.linkStats() ?? null },
    frameLog,
    recentErrors: errors,
    prober: new DetectProber({ openPort, detect: detectMeter, options: { candidates: fastCandidates, listenMs: 700 }, tap: frameLog }),
    appInfo: () => ({ name: 'Wattlet', version: '0.1.0', host: 'cli', mode: 'demo', dataDir: dir }),
    settings: () => ({ language: 'en' }),
    meterIds: () => frames?.meterIds ?? [],
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
    backend, adapter, deviceId, service, frameLog, errors, dir,
    async openLink(line) {
      // As the composition root wires it: the session reads, diagnostics listens to what it publishes.
      const s = new MeterSession({ openPort: () => openPort(deviceId), target: { protocol: 'dsmr', line }, backoff: { initialMs: 200, maxMs: 1000 } });
      link = new SessionLink(s, { deviceId: () => deviceId });
      frames = new SessionFrames(s, frameLog);
      const offFailed = link.onFailed((e, at) => errors.record(e, 'meter.link', at));
      cleanups.push(async () => {
        await s.dispose();
        offFailed();
        frames?.dispose();
        link?.dispose();
      });
      s.start();
      await until('the session reading', () => s.state, (st) => st === 'reading');
    },
    link: () => link?.linkStats() ?? null,
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
