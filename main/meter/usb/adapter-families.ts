import type { AdapterFamilyName } from '../../api/meter.js';
import { activeConfiguration, hex4, type UsbDeviceLike } from './usb-device.js';

/**
 * The USB IDs of the adapters meter cables are built on. Vendor-specific chips are known by
 * VID:PID (Linux ftdi_sio, cp210x, ch341, pl2303 id tables); CDC-ACM by its interface class.
 */
export const knownAdapterIds: Readonly<Record<Exclude<AdapterFamilyName, 'cdc-acm'>, { vendorId: number; productIds: readonly number[] }>> = {
  ftdi: { vendorId: 0x0403, productIds: [0x6001, 0x6010, 0x6011, 0x6014, 0x6015] },
  cp210x: { vendorId: 0x10c4, productIds: [0xea60, 0xea70, 0xea71] },
  ch34x: { vendorId: 0x1a86, productIds: [0x7523, 0x5523, 0x7522] },
  pl2303: { vendorId: 0x067b, productIds: [0x2303, 0x23a3, 0x23b3, 0x23c3, 0x23d3, 0x23e3, 0x23f3] },
};

export interface FamilyMatch {
  readonly family: AdapterFamilyName | null;
  /** Why it matched or why nothing did, in words support staff can act on. */
  readonly reason: string;
}

const CDC_CLASS = 0x02;
const CDC_ACM_SUBCLASS = 0x02;
const CDC_DATA_CLASS = 0x0a;

export function hasCdcAcmInterfaces(d: UsbDeviceLike): boolean {
  const ifaces = activeConfiguration(d)?.interfaces ?? [];
  const control = ifaces.some((i) => i.alternate.interfaceClass === CDC_CLASS && i.alternate.interfaceSubclass === CDC_ACM_SUBCLASS);
  const data = ifaces.some((i) => i.alternate.interfaceClass === CDC_DATA_CLASS);
  return control && data;
}

export function matchFamily(d: UsbDeviceLike): FamilyMatch {
  const id = `${hex4(d.vendorId)}:${hex4(d.productId)}`;
  for (const [family, ids] of Object.entries(knownAdapterIds) as Array<[Exclude<AdapterFamilyName, 'cdc-acm'>, { vendorId: number; productIds: readonly number[] }]>) {
    if (ids.vendorId !== d.vendorId) continue;
    if (ids.productIds.includes(d.productId)) return { family, reason: `${id} is a known ${family} adapter` };
    return { family: null, reason: `vendor ${hex4(d.vendorId)} makes ${family} chips, but product ${hex4(d.productId)} is not one we drive` };
  }
  if (hasCdcAcmInterfaces(d)) return { family: 'cdc-acm', reason: `${id} has a CDC-ACM control interface (class 02/02) and a data interface (class 0A)` };
  if (d.deviceClass === 0x09) return { family: null, reason: `${id} is a USB hub` };
  return { family: null, reason: `${id} is not a known USB-serial adapter and has no CDC-ACM interfaces` };
}
