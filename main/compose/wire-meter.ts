import { WattletError } from '../api/errors.js';
import { detectMeter } from '../meter/detect/detect-meter.js';
import { OsSerialPort } from '../meter/serial/os-serial.js';
import type { SerialPort } from '../meter/serial/serial-port.js';
import { forwardSessionEvents, sessionHandlers } from '../meter/session/handlers.js';
import { MeterSession } from '../meter/session/meter-session.js';
import { defaultLine } from '../meter/session/meter-target.js';
import { createDemoUsbBus, DEMO_P1_CABLE_SERIAL } from '../meter/sim/adapters/demo-usb-bus.js';
import type { SimulatedMeterLine } from '../meter/sim/wire.js';
import { MeterDiscovery } from '../meter/usb/discovery.js';
import { forwardHotplug, meterUsbHandlers } from '../meter/usb/handlers.js';
import { NodeUsbBackend } from '../meter/usb/node-usb-backend.js';
import { isOsDevicePath } from '../meter/usb/open-meter-port.js';
import { usbSerialPort } from '../meter/usb/open-usb-serial-port.js';
import type { UsbBackend } from '../meter/usb/usb-backend.js';
import type { WireContext } from './wire-context.js';

export interface MeterWiring {
  readonly backend: UsbBackend;
  readonly discovery: MeterDiscovery;
  readonly session: MeterSession | null;
  /** The discovery id of the adapter the session reads, once it has opened it (null before). */
  readonly deviceId: () => string | null;
  /** Opens a device by discovery id (null: the session's), closed, for the auto-probe. */
  readonly openDevice: (deviceId: string | null) => Promise<SerialPort>;
  readonly handlers: ReturnType<typeof meterUsbHandlers> & ReturnType<typeof sessionHandlers>;
}

export interface MeterChoice {
  /** 'demo', 'none', a USB serial number, vid:pid, or an OS serial device path. */
  readonly selector: string;
  /** Demo mode's simulated meter on the simulated FTDI P1 cable. */
  readonly demoMeter?: SimulatedMeterLine;
  /** A USB bus handed in by the caller (tests): used instead of the real one. */
  readonly backend?: UsbBackend;
}

/**
 * The meter pipeline: USB discovery (the real `usb` backend, or demo mode's simulated bus) →
 * the session, which publishes what it decodes (diagnostics listens) → readings and state as contract events.
 * Readings go to history through `session.onReading`, wired by the root.
 */
export function wireMeter(ctx: WireContext, choice: MeterChoice): MeterWiring {
  const demo = choice.selector === 'demo';
  const demoBus = demo ? createDemoUsbBus(choice.demoMeter ? { meter: choice.demoMeter } : {}) : null;
  const backend: UsbBackend = demoBus ? demoBus.backend : (choice.backend ?? new NodeUsbBackend());
  if (demoBus) ctx.disposables.add(() => demoBus.backend.dispose());
  const discovery = ctx.disposables.add(new MeterDiscovery({ backend }));
  ctx.disposables.add(forwardHotplug(discovery, ctx.bus));

  const selector = demo ? DEMO_P1_CABLE_SERIAL : choice.selector;

  const openDevice = async (deviceId: string | null): Promise<SerialPort> => {
    const wanted = deviceId ?? selector;
    if (isOsDevicePath(wanted)) return new OsSerialPort(wanted);
    const device = await discovery.find(wanted);
    const info = discovery.describe(device);
    if (!info.family) {
      throw new WattletError('METER_UNSUPPORTED_ADAPTER', `${info.vidPid} is not a supported meter adapter`, { vidPid: info.vidPid });
    }
    return usbSerialPort(device, { family: info.family });
  };

  if (choice.selector === 'none') {
    return { backend, discovery, session: null, deviceId: () => null, openDevice, handlers: { ...meterUsbHandlers({ discovery }), ...noSessionHandlers() } };
  }

  let deviceId: string | null = null;
  const session: MeterSession = new MeterSession({
    openPort: async () => {
      const port = await openDevice(null);
      deviceId = isOsDevicePath(selector) ? selector : discovery.deviceId(await discovery.find(selector));
      return port;
    },
    // Demo mode knows its meter; a real one is detected on every (re)connect until found.
    target: demo ? { protocol: 'dsmr', line: defaultLine('dsmr') } : { detect: {} },
    detect: detectMeter,
    onListenerError: (error) => ctx.logger.error('a meter session listener failed', { error }),
  });
  ctx.disposables.add(session);
  ctx.disposables.add(forwardSessionEvents(session, ctx.bus));
  session.onState((s) => {
    if (s.state === 'waiting') ctx.logger.warn('meter link down, will retry', { retryAt: s.retryAt, adapter: s.adapter });
  });
  return { backend, discovery, session, deviceId: () => deviceId, openDevice, handlers: { ...meterUsbHandlers({ discovery }), ...sessionHandlers(session) } };
}

function noSessionHandlers(): ReturnType<typeof sessionHandlers> {
  return {
    'meter.session.status': () => {
      throw new WattletError('NOT_AVAILABLE', 'No meter is selected', { channel: 'meter.session.status' });
    },
  };
}
