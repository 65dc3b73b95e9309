import type { DeviceAccess, DiagUsbDevice, LinkStats, RecentError, UsbSnapshot } from '../api/diagnostics.js';
import { WattletError, type ErrorShape } from '../api/errors.js';
import type { UsbDeviceInfo, UsbStatus } from '../api/meter.js';
import { hex4, usbError, type UsbBackend, type UsbDeviceLike } from '../meter/usb/index.js';

/**
 * What diagnostics needs from USB discovery. The meter room's discovery service satisfies it;
 * `usbListingFromBackend` below builds one straight from the backend seam for the headless CLI
 * and for tests.
 */
export interface UsbListing {
  status(): Promise<UsbStatus>;
  devices(): Promise<readonly UsbDeviceInfo[]>;
  /**
   * Do what opening the adapter does (open, claim, release, close) on a device no session holds,
   * and reject with the coded error opening would give (METER_PERMISSION_DENIED,
   * METER_INTERFACE_CLAIMED, METER_DEVICE_GONE). Optional: without it access comes from errors seen.
   */
  checkAccess?(deviceId: string): Promise<void>;
}

const accessByCode: Record<string, DeviceAccess> = {
  METER_PERMISSION_DENIED: 'permission-denied',
  METER_INTERFACE_CLAIMED: 'claimed',
  METER_DEVICE_GONE: 'gone',
  METER_DEVICE_NOT_FOUND: 'gone',
};

function shape(e: unknown): ErrorShape {
  return e instanceof WattletError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), facts: {} };
}

/**
 * The USB tree as diagnostics shows it: every device with its matched family and whether the
 * app can use it. Access is checked live for free adapters when the listing can, else inferred
 * from the last error that named the device.
 */
export async function usbSnapshot(listing: UsbListing, ctx: { link: LinkStats | null; recentErrors: readonly RecentError[]; checkAccess: boolean }): Promise<UsbSnapshot> {
  const status = await listing.status();
  let devices: readonly UsbDeviceInfo[] = [];
  let listError: ErrorShape | null = null;
  try {
    devices = status.available ? await listing.devices() : [];
  } catch (e) {
    listError = shape(e);
  }
  const out: DiagUsbDevice[] = [];
  for (const d of devices) {
    let access: DeviceAccess = 'unknown';
    let accessError: ErrorShape | null = null;
    const last = [...ctx.recentErrors].reverse().find((e) => {
      const id = e.error.facts['deviceId'] ?? e.error.facts['device'];
      return (id === d.id || id === d.vidPid) && accessByCode[e.error.code];
    });
    const ours = ctx.link && ctx.link.deviceId === d.id && (ctx.link.state === 'open' || ctx.link.state === 'reconnecting');
    if (ours) access = 'in-use';
    else if (d.family !== null && ctx.checkAccess && listing.checkAccess && d.path === 'usb') {
      try {
        await listing.checkAccess(d.id);
        access = 'free';
        // Opening works (so no permission problem), but a driver may still hold the interface:
        // only claiming shows that, and the last claim attempt is the evidence.
        if (last?.error.code === 'METER_INTERFACE_CLAIMED') {
          access = 'claimed';
          accessError = last.error;
        }
      } catch (e) {
        accessError = shape(e);
        access = accessByCode[accessError.code] ?? 'unknown';
      }
    } else if (last) {
      accessError = last.error;
      access = accessByCode[last.error.code]!;
    }
    out.push({ ...d, access, accessError });
  }
  return { status, devices: out, listError };
}

/**
 * A listing over the backend seam, described by the meter room's MeterDiscovery, so ids, families
 * and paths are exactly the ones the rest of the app uses.
 *
 * `checkAccess` only opens the device and closes it again: that is where a missing udev rule
 * shows (EACCES). It never claims an interface or detaches a kernel driver: on Linux a detach
 * would pull /dev/ttyUSB* from under whatever program uses that adapter (a 3D printer, a modem).
 * Whether a driver holds the interface is learned when the session or the auto-probe opens it.
 */
export function usbListingFromBackend(backend: UsbBackend, discovery: { describe(d: UsbDeviceLike): UsbDeviceInfo }): UsbListing {
  const describe = (d: UsbDeviceLike) => discovery.describe(d);
  const find = async (id: string) => {
    const d = (await backend.getDevices()).find((x) => describe(x).id === id);
    if (!d) throw new WattletError('METER_DEVICE_GONE', 'The adapter is no longer plugged in', { deviceId: id });
    return d;
  };
  return {
    status: () => backend.status(),
    devices: async () => (await backend.getDevices()).map(describe),
    async checkAccess(id) {
      const d = await find(id);
      if (d.opened) return; // someone in this process holds it; opening again would disturb them
      try {
        await d.open();
      } catch (e) {
        throw usbError(e, 'checking access', { deviceId: id, vidPid: `${hex4(d.vendorId)}:${hex4(d.productId)}` });
      } finally {
        await d.close().catch(() => undefined); // best effort: the check is over
      }
    },
  };
}
