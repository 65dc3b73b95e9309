import { join } from 'node:path';
import type { EventBus } from '../api/event-bus.js';
import type { UsbDeviceInfo } from '../api/meter.js';
import type { OsSerialPortInfo } from '../api/meter.js';
import { detectMeter } from '../meter/detect/index.js';
import type { SerialPort } from '../meter/index.js';
import type { UsbBackend, UsbDeviceLike } from '../meter/usb/index.js';
import { DetectProber } from './detect-prober.js';
import { DiagnosticsService } from './diagnostics-service.js';
import type { FrameLog } from './frame-log.js';
import { diagnosticsHandlers } from './handlers.js';
import type { LinkMonitor, LinkSource } from './link-monitor.js';
import type { RecentErrors } from './recent-errors.js';
import { usbListingFromBackend } from './usb-tree.js';

export interface CreateDiagnosticsDeps {
  readonly backend: UsbBackend;
  readonly discovery: { describe(d: UsbDeviceLike): UsbDeviceInfo };
  /** The session's link (SessionLinkSource), or null when no meter is selected. */
  readonly link: LinkSource | null;
  /** The monitor the session's observed port feeds: its failures become recent errors. */
  readonly monitor?: LinkMonitor;
  readonly frameLog: FrameLog;
  readonly recentErrors: RecentErrors;
  /** Opens a device by discovery id, closed, for the auto-probe. */
  readonly openDevice: (deviceId: string | null) => Promise<SerialPort>;
  readonly serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  readonly bus: EventBus;
  readonly appInfo: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly settings: () => unknown;
  readonly sections?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly meterIds?: () => readonly string[];
  readonly dataDir: string;
  /** Install root: resources/udev/99-wattlet.rules lives under it. */
  readonly root: string;
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}

/**
 * Everything the composition root needs for diagnostics in one call: the service (with the
 * protocols room's detector as the auto-probe), its handler map, and its events on the bus.
 */
export function createDiagnostics(deps: CreateDiagnosticsDeps) {
  const service = new DiagnosticsService({
    usb: usbListingFromBackend(deps.backend, deps.discovery),
    ...(deps.serialPorts ? { serialPorts: deps.serialPorts } : {}),
    link: deps.link,
    frameLog: deps.frameLog,
    recentErrors: deps.recentErrors,
    prober: new DetectProber({ openPort: deps.openDevice, detect: detectMeter, tap: deps.frameLog }),
    appInfo: deps.appInfo,
    settings: deps.settings,
    ...(deps.sections ? { sections: deps.sections } : {}),
    ...(deps.meterIds ? { meterIds: deps.meterIds } : {}),
    udevRulePath: join(deps.root, 'resources', 'udev', '99-wattlet.rules'),
    bundleDir: join(deps.dataDir, 'support'),
    ...(deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {}),
    onFrame: (e) => deps.bus.emit('diagnostics.frame', e),
    onProbeProgress: (r) => deps.bus.emit('diagnostics.probeProgress', r),
  });
  const offFailed = deps.monitor?.onFailed((e, at) => deps.recentErrors.record(e, 'meter.link', at)) ?? (() => {});
  return {
    service,
    handlers: diagnosticsHandlers(service),
    dispose: async () => {
      offFailed();
      await service.dispose();
    },
  };
}
