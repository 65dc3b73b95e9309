import { WattletError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import { DisposableStore } from '../lifecycle/disposables.js';
import type { Logger } from '../logging/logger.js';
import { detectMeter } from './detect/detect-meter.js';
import type { MeterSource } from './meter-source.js';
import type { Reading } from './reading.js';
import { OsSerialPort } from './serial/os-serial.js';
import type { SerialPort } from './serial/serial-port.js';
import { forwardSessionEvents, sessionHandlers } from './session/handlers.js';
import { MeterSession } from './session/meter-session.js';
import { MeterDiscovery } from './usb/discovery.js';
import { forwardHotplug, meterUsbHandlers } from './usb/handlers.js';
import { NodeUsbBackend } from './usb/node-usb-backend.js';
import { isOsDevicePath } from './usb/open-meter-port.js';
import { usbSerialPort } from './usb/open-usb-serial-port.js';
import { reconnectOnAttach } from './usb/reconnect-on-attach.js';
import type { UsbBackend } from './usb/usb-backend.js';

export interface MeterPorts {
  /** Which meter, on which bus (the real one, a test's, or demo mode's simulated one). */
  readonly source: MeterSource;
  /** 'meter.hotplug', 'meter.reading', 'meter.state'. */
  readonly bus: EventBus;
  readonly logger: Logger;
}

export interface Meter {
  readonly backend: UsbBackend;
  readonly discovery: MeterDiscovery;
  /** The session reading the chosen meter (null when the choice is 'none'). */
  readonly session: MeterSession | null;
  /** The meter's serial as the ledger knows it. */
  readonly serial: string;
  /** Every reading as it arrives (none while no meter is chosen); returns the unsubscribe. */
  readings(listener: (reading: Reading) => void): () => void;
  /** The discovery id of the adapter the session reads, once it has opened it (null before). */
  readonly deviceId: () => string | null;
  /** Opens a device by discovery id (null: the session's), closed, for the auto-probe. */
  readonly openDevice: (deviceId: string | null) => Promise<SerialPort>;
  readonly handlers: ReturnType<typeof meterUsbHandlers> & ReturnType<typeof sessionHandlers>;
  dispose(): Promise<void>;
}

/**
 * The meter room's one wiring: USB discovery on the source's bus → the session keeping the
 * chosen meter connected (reconnecting at once when an adapter is plugged back in), which
 * publishes what it decodes → readings, state and hot-plug as contract events. The session
 * starts here; whoever stores readings subscribes to `readings` (history.record).
 */
export function createMeter(ports: MeterPorts): Meter {
  const { source } = ports;
  const parts = new DisposableStore();
  const backend: UsbBackend = source.backend ?? parts.add(new NodeUsbBackend());
  const discovery = parts.add(new MeterDiscovery({ backend, onListenerError: (error) => ports.logger.error('a hot-plug listener failed', { error }) }));
  parts.add(forwardHotplug(discovery, ports.bus));

  const openDevice = async (deviceId: string | null): Promise<SerialPort> => {
    const wanted = deviceId ?? source.selector;
    if (isOsDevicePath(wanted)) return new OsSerialPort(wanted);
    const device = await discovery.find(wanted);
    const info = discovery.describe(device);
    if (!info.family) {
      throw new WattletError('METER_UNSUPPORTED_ADAPTER', `${info.vidPid} is not a supported meter adapter`, { vidPid: info.vidPid });
    }
    return usbSerialPort(device, { family: info.family });
  };
  const common = { backend, discovery, serial: source.serial, openDevice, dispose: () => parts.dispose() };

  if (source.selector === 'none') {
    return { ...common, session: null, readings: () => () => {}, deviceId: () => null, handlers: { ...meterUsbHandlers({ discovery }), ...noSessionHandlers() } };
  }

  let deviceId: string | null = null;
  const session = parts.add(
    new MeterSession({
      openPort: async () => {
        const port = await openDevice(null);
        deviceId = isOsDevicePath(source.selector) ? source.selector : discovery.deviceId(await discovery.find(source.selector));
        return port;
      },
      // A known meter (demo mode's) is read at once; a real one is detected on every (re)connect until found.
      target: source.target ?? { detect: {} },
      detect: detectMeter,
      onListenerError: (error) => ports.logger.error('a meter session listener failed', { error }),
    }),
  );
  parts.add(reconnectOnAttach(discovery, session));
  parts.add(forwardSessionEvents(session, ports.bus));
  parts.add(
    session.onState((s) => {
      if (s.state === 'waiting') ports.logger.warn('meter link down, will retry', { retryAt: s.retryAt, adapter: s.adapter });
    }),
  );
  session.start();
  return {
    ...common,
    session,
    readings: (listener) => session.onReading(listener),
    deviceId: () => deviceId,
    handlers: { ...meterUsbHandlers({ discovery }), ...sessionHandlers(session) },
  };
}

function noSessionHandlers(): ReturnType<typeof sessionHandlers> {
  return {
    'meter.session.status': () => {
      throw new WattletError('NOT_AVAILABLE', 'No meter is selected', { channel: 'meter.session.status' });
    },
  };
}
