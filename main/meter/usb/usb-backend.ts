import type { Disposable } from '../../lifecycle/disposables.js';
import type { UsbDeviceLike } from './usb-device.js';

export interface UsbBackendStatus {
  readonly available: boolean;
  /** 'node-usb' in production, 'simulated' in tests and demo mode. */
  readonly backend: string;
  /** Why not available (METER_NO_USB_SUBSYSTEM …). */
  readonly problem: { code: string; message: string; facts: Record<string, string | number | boolean | null> } | null;
}

/**
 * The one seam between the app and a USB stack. Production wraps the `usb` package
 * (node-usb-backend.ts); tests and demo mode hold simulated adapters (sim/adapters). Nothing
 * else in the app touches `usb` directly.
 */
export interface UsbBackend extends Disposable {
  status(): Promise<UsbBackendStatus>;
  /** Every attached device. Rejects with METER_NO_USB_SUBSYSTEM where there is no USB bus. */
  getDevices(): Promise<UsbDeviceLike[]>;
  /** A device appeared. Returns the unsubscribe. */
  onConnect(listener: (device: UsbDeviceLike) => void): () => void;
  /** A device went away (the same object getDevices/onConnect gave). Returns the unsubscribe. */
  onDisconnect(listener: (device: UsbDeviceLike) => void): () => void;
}
