import { WattletError } from '../../api/errors.js';
import type { AdapterFamilyName } from '../../api/meter.js';
import { matchFamily } from './adapter-families.js';
import { CdcAcmDriver } from './cdc-acm.js';
import { Ch34xDriver } from './ch34x.js';
import { Cp210xDriver } from './cp210x.js';
import { FtdiDriver, type FtdiOptions } from './ftdi.js';
import { Pl2303Driver } from './pl2303.js';
import { hex4, type UsbDeviceLike } from './usb-device.js';
import { UsbSerialPort, type UsbSerialDriver } from './usb-serial-port.js';

export interface OpenUsbSerialOptions {
  /** Force a family (e.g. a CDC-ACM gadget with a vendor PID); otherwise matched from the IDs. */
  readonly family?: AdapterFamilyName;
  readonly ftdi?: FtdiOptions;
}

export function createDriver(device: UsbDeviceLike, family: AdapterFamilyName, options: OpenUsbSerialOptions = {}): UsbSerialDriver {
  switch (family) {
    case 'ftdi':
      return new FtdiDriver(device, options.ftdi);
    case 'cdc-acm':
      return new CdcAcmDriver(device);
    case 'cp210x':
      return new Cp210xDriver(device);
    case 'ch34x':
      return new Ch34xDriver(device);
    case 'pl2303':
      return new Pl2303Driver(device);
  }
}

/**
 * A SerialPort over a WebUSB-style device (the `usb` package's, or a simulated one). The port
 * is returned closed: call `open(settings)`; `close()` releases the interface and the device.
 *
 *   const port = usbSerialPort(device, { family: 'ftdi' });
 *   port.onData((bytes) => …);
 *   await port.open(LINE_8N1_115200);
 */
export function usbSerialPort(device: UsbDeviceLike, options: OpenUsbSerialOptions = {}): UsbSerialPort {
  const family = options.family ?? matchFamily(device).family;
  if (!family) {
    throw new WattletError('METER_UNSUPPORTED_ADAPTER', `No driver for USB device ${hex4(device.vendorId)}:${hex4(device.productId)}`, {
      vidPid: `${hex4(device.vendorId)}:${hex4(device.productId)}`,
      reason: matchFamily(device).reason,
    });
  }
  return new UsbSerialPort(device, createDriver(device, family, options));
}

/** usbSerialPort + open in one step: the standalone entry for scripts and hardware tests. */
export async function openUsbSerialPort(
  device: UsbDeviceLike,
  options: OpenUsbSerialOptions & { settings: import('../serial/line-settings.js').LineSettings },
): Promise<UsbSerialPort> {
  const port = usbSerialPort(device, options);
  await port.open(options.settings);
  return port;
}
