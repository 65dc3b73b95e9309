import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import { OsSerialPort } from '../serial/os-serial.js';
import { listOsSerialPorts } from '../serial/os-serial-ports.js';
import type { SerialPath, SerialPort } from '../serial/serial-port.js';
import type { MeterDiscovery } from './discovery.js';
import { usbSerialPort } from './open-usb-serial-port.js';

export interface OpenMeterPortOptions {
  readonly discovery: MeterDiscovery;
  /** A USB serial number, "vid:pid", a discovery id, or an OS serial device (/dev/ttyUSB0, COM3). */
  readonly selector: string;
  readonly settings: LineSettings;
  /** Override discovery's path decision for this open. */
  readonly path?: SerialPath;
  readonly listOsPorts?: typeof listOsSerialPorts;
}

export function isOsDevicePath(selector: string): boolean {
  // An absolute path is a device node (/dev/ttyUSB0, a pty link); serial numbers never start with '/'.
  return selector.startsWith('/') || /^COM\d+$/i.test(selector) || selector.startsWith('\\\\.\\');
}

/**
 * Opens a meter's serial link by whatever the person or the saved target names it, on the path
 * discovery chose for that device (or the one asked for): our USB driver or the OS's port.
 */
export async function openMeterPort(o: OpenMeterPortOptions): Promise<SerialPort> {
  if (isOsDevicePath(o.selector)) {
    const port = new OsSerialPort(o.selector);
    await port.open(o.settings);
    return port;
  }
  const device = await o.discovery.find(o.selector);
  const info = o.discovery.describe(device);
  const path = o.path ?? info.path;
  if (path === 'usb') {
    const port = usbSerialPort(device, info.family ? { family: info.family } : {});
    await port.open(o.settings);
    return port;
  }
  // The OS path: find the port the OS driver created for this very adapter.
  const ports = await (o.listOsPorts ?? listOsSerialPorts)();
  const match =
    (info.serialNumber ? ports.find((p) => p.serialNumber === info.serialNumber) : undefined) ??
    ports.find((p) => p.vendorId === info.vendorId && p.productId === info.productId);
  if (!match) {
    throw new WattletError('METER_DEVICE_NOT_FOUND', `The OS has no serial port for ${info.vidPid}`, {
      selector: o.selector.slice(0, 80),
      vidPid: info.vidPid,
      hint: 'Choose the USB path for this device, or install the vendor driver',
    });
  }
  const port = new OsSerialPort(match.path);
  await port.open(o.settings);
  return port;
}
