import { readFileSync } from 'node:fs';
import { WattletError } from '../../../main/api/errors.js';
import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { matchFamily } from '../../../main/meter/usb/adapter-families.js';
import { NodeUsbBackend } from '../../../main/meter/usb/node-usb-backend.js';
import { usbSerialPort } from '../../../main/meter/usb/open-usb-serial-port.js';
import { bcdDevice, type UsbDeviceLike } from '../../../main/meter/usb/usb-device.js';
import type { UsbSerialPort } from '../../../main/meter/usb/usb-serial-port.js';
import { emit } from './report.js';

/**
 * Discovery as the app does it: the project's backend over the real `usb` package (no
 * ftdi_sio in this guest), family matched from the IDs, the project's FTDI driver claims it.
 */
export const backend = new NodeUsbBackend({ pollMs: 200 });

export async function findAdapter(timeoutMs: number): Promise<UsbDeviceLike> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const devices = await backend.getDevices().catch((e: unknown) => {
      // Between unplug and re-plug the bus is there but may be mid-enumeration: keep looking.
      if (Date.now() > deadline) throw e;
      return [] as UsbDeviceLike[];
    });
    const d = devices.find((x) => matchFamily(x).family === 'ftdi');
    if (d) {
      emit({ event: 'device', vendorId: d.vendorId, productId: d.productId, bcdDevice: bcdDevice(d), bus: d.bus });
      return d;
    }
    if (Date.now() > deadline) {
      throw new WattletError('METER_DEVICE_NOT_FOUND', `no FTDI adapter among ${devices.length} USB devices`, {
        devices: devices.map((x) => `${x.vendorId.toString(16)}:${x.productId.toString(16)}`).join(' '),
      });
    }
    await sleep(200);
  }
}

export async function openFtdi(device: UsbDeviceLike, line: LineSettings): Promise<UsbSerialPort> {
  const port = usbSerialPort(device, { family: 'ftdi' });
  await port.open(line);
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `wattlet.<name>=<value>` from the kernel command line. */
export function bootParam(name: string, fallback: number): number {
  let cmdline = '';
  try {
    cmdline = process.env.WATTLET_CMDLINE ?? readFileSync('/proc/cmdline', 'utf8');
  } catch {
    return fallback;
  }
  const m = new RegExp(`(?:^|\\s)wattlet\\.${name}=(\\d+)`).exec(cmdline);
  return m ? Number(m[1]) : fallback;
}

export function errorFacts(e: unknown): { code: string; message: string } {
  if (e instanceof WattletError) return { code: e.code, message: e.message };
  return { code: 'UNEXPECTED', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** Close as the app would; a throw is reported (the host fails the scenario on it), not hidden. */
export async function closePort(port: UsbSerialPort): Promise<void> {
  try {
    await port.close();
  } catch (e) {
    emit({ event: 'close-error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
    return;
  }
  if (port.device.opened) emit({ event: 'close-error', message: 'close() resolved but the USB device is still open' });
}
