import { readFileSync } from 'node:fs';
import { WattletError } from '../../../main/api/errors.js';
import type { AdapterFamilyName } from '../../../main/api/meter.js';
import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { matchFamily } from '../../../main/meter/usb/adapter-families.js';
import { NodeUsbBackend } from '../../../main/meter/usb/node-usb-backend.js';
import { usbSerialPort } from '../../../main/meter/usb/open-usb-serial-port.js';
import type { UsbBackend } from '../../../main/meter/usb/usb-backend.js';
import { bcdDevice, type UsbDeviceLike } from '../../../main/meter/usb/usb-device.js';
import { emit } from './report.js';

/**
 * Discovery as the app does it: the project's backend over the real `usb` package, family
 * matched from the IDs (or the CDC-ACM interfaces), the project's driver claims it. Polling
 * hot-plug here; the hot-plug scenario builds its own, event-driven backend.
 */
export const backend = new NodeUsbBackend({ pollMs: 200, hotplug: 'poll' });

export async function findAdapter(family: AdapterFamilyName, timeoutMs: number, from: UsbBackend = backend): Promise<UsbDeviceLike> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const devices = await from.getDevices().catch((e: unknown) => {
      // Between unplug and re-plug the bus is there but may be mid-enumeration: keep looking.
      if (Date.now() > deadline) throw e;
      return [] as UsbDeviceLike[];
    });
    const d = devices.find((x) => matchFamily(x).family === family);
    if (d) {
      emit({ event: 'device', vendorId: d.vendorId, productId: d.productId, bcdDevice: bcdDevice(d), bus: d.bus });
      return d;
    }
    if (Date.now() > deadline) {
      throw new WattletError('METER_DEVICE_NOT_FOUND', `no ${family} adapter among ${devices.length} USB devices`, {
        devices: devices.map((x) => `${x.vendorId.toString(16)}:${x.productId.toString(16)}`).join(' '),
      });
    }
    await sleep(200);
  }
}

/** A closed port on the first adapter of `family` that `usb` lists (the project's userspace driver). */
export async function usbPortFor(family: AdapterFamilyName, timeoutMs: number, from: UsbBackend = backend): Promise<SerialPort> {
  return usbSerialPort(await findAdapter(family, timeoutMs, from), { family });
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

/** The USB device under a userspace port, if the port is one (the OS path has none). */
export function usbDeviceOf(port: SerialPort | null): UsbDeviceLike | null {
  return port && 'device' in port ? (port as { device: UsbDeviceLike }).device : null;
}

/** Close as the app would; a throw is reported (the host fails the scenario on it), not hidden. */
export async function closePort(port: SerialPort): Promise<void> {
  try {
    await port.close();
  } catch (e) {
    emit({ event: 'close-error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
    return;
  }
  if (usbDeviceOf(port)?.opened) emit({ event: 'close-error', message: 'close() resolved but the USB device is still open' });
}
