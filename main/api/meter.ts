import { z } from 'zod';
import { channel, event } from './channel.js';

// The meter domain of the contract: USB adapters, discovery, hot-plug, the serial path.

export const meterErrorCodes = [
  'METER_NO_USB_SUBSYSTEM', // this system exposes no USB bus to programs (container, VM without USB)
  'METER_PERMISSION_DENIED', // facts: device, udevRule, installCommand
  'METER_INTERFACE_CLAIMED', // a kernel driver or another program holds the interface
  'METER_UNSUPPORTED_ADAPTER', // no driver for this VID:PID / class
  'METER_DEVICE_GONE', // unplugged mid-transfer
  'METER_DEVICE_NOT_FOUND', // open by serial / vid:pid / path found nothing
  'METER_LINE_SETTINGS_UNSUPPORTED', // the adapter cannot do this speed or format
  'METER_ADAPTER_REFUSED', // the chip stalled a control request (wrong init, unknown request)
  'METER_TRANSFER_FAILED', // a USB transfer failed for another reason
  'METER_PORT_NOT_OPEN', // write or settings change on a closed port
  'METER_OS_SERIAL_FAILED', // the operating system's serial port could not be opened or used
] as const;
export type MeterErrorCode = (typeof meterErrorCodes)[number];

export const adapterFamily = z.enum(['cdc-acm', 'ftdi', 'cp210x', 'ch34x', 'pl2303']);
export type AdapterFamilyName = z.infer<typeof adapterFamily>;
export const serialPath = z.enum(['usb', 'os']);

export const usbDeviceInfoSchema = z.object({
  /** Stable while plugged: vid:pid:serial, or vid:pid@bus-ports when the adapter has no serial. */
  id: z.string(),
  vendorId: z.number().int(),
  productId: z.number().int(),
  /** "0403:6001" as support staff write it. */
  vidPid: z.string(),
  manufacturer: z.string().nullable(),
  product: z.string().nullable(),
  serialNumber: z.string().nullable(),
  deviceClass: z.number().int(),
  family: adapterFamily.nullable(),
  /** Why this family matched, or why none did (English, for support; the UI shows family). */
  familyReason: z.string(),
  path: serialPath,
  pathReason: z.string(),
  /** The user's choice for this device, when they made one. */
  pathChoice: z.enum(['auto', 'usb', 'os']),
});
export type UsbDeviceInfo = z.infer<typeof usbDeviceInfoSchema>;

export const usbStatusSchema = z.object({
  available: z.boolean(),
  backend: z.string(),
  /** Why USB is unavailable (METER_NO_USB_SUBSYSTEM …); null when it works. */
  problem: z
    .object({ code: z.string(), message: z.string(), facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) })
    .nullable(),
});
export type UsbStatus = z.infer<typeof usbStatusSchema>;

export const osSerialPortSchema = z.object({
  path: z.string(),
  vendorId: z.number().int().nullable(),
  productId: z.number().int().nullable(),
  serialNumber: z.string().nullable(),
  manufacturer: z.string().nullable(),
});
export type OsSerialPortInfo = z.infer<typeof osSerialPortSchema>;

export const meterChannels = {
  'meter.usbStatus': channel({
    doc: 'Whether USB works on this system, through which backend, and if not, why.',
    request: z.object({}),
    response: usbStatusSchema,
    errors: [],
  }),
  'meter.devices': channel({
    doc: 'USB devices with their matched adapter family (or why none) and the path each will use.',
    request: z.object({}),
    response: z.object({ devices: z.array(usbDeviceInfoSchema) }),
    errors: ['METER_NO_USB_SUBSYSTEM', 'METER_PERMISSION_DENIED'],
  }),
  'meter.serialPorts': channel({
    doc: "The operating system's serial ports (the second path).",
    request: z.object({}),
    response: z.object({ ports: z.array(osSerialPortSchema) }),
    errors: ['METER_OS_SERIAL_FAILED'],
  }),
  'meter.choosePath': channel({
    doc: "Use our USB driver or the OS's serial driver for one device ('auto' lets discovery decide).",
    request: z.object({ deviceId: z.string().min(1).max(200), choice: z.enum(['auto', 'usb', 'os']) }),
    response: usbDeviceInfoSchema,
    errors: ['METER_DEVICE_NOT_FOUND', 'METER_NO_USB_SUBSYSTEM'],
  }),
};

export const meterEvents = {
  'meter.hotplug': event({
    doc: 'A USB device was plugged in (debounced) or removed.',
    payload: z.object({ kind: z.enum(['connect', 'disconnect']), device: usbDeviceInfoSchema }),
  }),
};
