import { join } from 'node:path';
import type { EventBus } from '../api/event-bus.js';
import type { UsbDeviceInfo } from '../api/meter.js';
import type { OsSerialPortInfo } from '../api/meter.js';
import type { ListenerErrorHandler } from '../lifecycle/emitter.js';
import { detectMeter } from '../meter/detect/index.js';
import type { SerialPort } from '../meter/index.js';
import type { UsbBackend, UsbDeviceLike } from '../meter/usb/index.js';
import { DetectProber } from './detect-prober.js';
import { DiagnosticsService } from './diagnostics-service.js';
import { FrameLog } from './frame-log.js';
import { MeterData } from './meter-data.js';
import { diagnosticsHandlers } from './handlers.js';
import { RecentErrors } from './recent-errors.js';
import { SessionFrames } from './session-frames.js';
import { SessionLink, type SessionLike } from './session-link.js';
import { usbListingFromBackend } from './usb-tree.js';

export interface CreateDiagnosticsDeps {
  readonly backend: UsbBackend;
  readonly discovery: { describe(d: UsbDeviceLike): UsbDeviceInfo };
  /**
   * The meter session, or null when no meter is selected. Diagnostics listens to what it
   * publishes (frames, link events, its count) and decodes nothing itself.
   */
  readonly session: SessionLike | null;
  /** The discovery id of the adapter the session reads, once known (null: not known). */
  readonly sessionDeviceId?: () => string | null;
  /** Opens a device by discovery id, closed, for the auto-probe. */
  readonly openDevice: (deviceId: string | null) => Promise<SerialPort>;
  readonly serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  readonly bus: EventBus;
  readonly appInfo: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly settings: () => unknown;
  readonly sections?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly dataDir: string;
  /** Install root: resources/udev/99-wattlet.rules lives under it. */
  readonly root: string;
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Where a throwing listener's error goes (the composition root's logger). */
  readonly onListenerError?: ListenerErrorHandler;
  /** Given by a caller that also reads them (a test); made here otherwise. */
  readonly frameLog?: FrameLog;
  readonly recentErrors?: RecentErrors;
}

/**
 * Diagnostics, wired by its own room: the frame log and recent errors, the session's link and
 * frames (listened to, never decoded again), the service with the protocols room's detector as
 * the auto-probe, its handler map, and its events on the bus. Everything it subscribed to is
 * released by `dispose`.
 */
export function createDiagnostics(deps: CreateDiagnosticsDeps) {
  const policy = deps.onListenerError ? { onListenerError: deps.onListenerError } : {};
  const frameLog = deps.frameLog ?? new FrameLog(policy);
  const recentErrors = deps.recentErrors ?? new RecentErrors();
  const session = deps.session;
  const link = session ? new SessionLink(session, { deviceId: deps.sessionDeviceId ?? (() => null), ...policy }) : null;
  const frames = session ? new SessionFrames(session, frameLog) : null;
  const meterData = session ? new MeterData(session) : null;
  const offFailed = link?.onFailed((e, at) => recentErrors.record(e, 'meter.link', at)) ?? (() => {});
  const service = new DiagnosticsService({
    usb: usbListingFromBackend(deps.backend, deps.discovery),
    ...(deps.serialPorts ? { serialPorts: deps.serialPorts } : {}),
    link,
    frameLog,
    recentErrors,
    prober: new DetectProber({ openPort: deps.openDevice, detect: detectMeter, tap: frameLog }),
    appInfo: deps.appInfo,
    settings: deps.settings,
    ...(deps.sections ? { sections: deps.sections } : {}),
    meterIds: () => frames?.meterIds ?? [],
    meters: () => meterData?.snapshot() ?? [],
    udevRulePath: join(deps.root, 'resources', 'udev', '99-wattlet.rules'),
    bundleDir: join(deps.dataDir, 'support'),
    ...(deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {}),
    onFrame: (e) => deps.bus.emit('diagnostics.frame', e),
    onProbeProgress: (r) => deps.bus.emit('diagnostics.probeProgress', r),
  });
  return {
    service,
    handlers: diagnosticsHandlers(service),
    frameLog,
    recentErrors,
    link,
    dispose: async () => {
      offFailed();
      frames?.dispose();
      meterData?.dispose();
      link?.dispose();
      await service.dispose();
    },
  };
}
