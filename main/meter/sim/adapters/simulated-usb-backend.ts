import { WattletError } from '../../../api/errors.js';
import type { UsbBackend, UsbBackendStatus } from '../../usb/usb-backend.js';
import type { UsbDeviceLike } from '../../usb/usb-device.js';
import type { SimulatedUsbAdapter } from './simulated-usb-adapter.js';

/**
 * A USB bus of simulated adapters behind the same seam production uses: tests and demo mode
 * plug, unplug and re-plug devices and the app sees hot-plug events as it would from `usb`.
 * `noSubsystem` reproduces a machine without /sys/bus/usb.
 */
export class SimulatedUsbBackend implements UsbBackend {
  readonly #devices = new Set<SimulatedUsbAdapter>();
  readonly #connect = new Set<(d: UsbDeviceLike) => void>();
  readonly #disconnect = new Set<(d: UsbDeviceLike) => void>();

  constructor(readonly options: { noSubsystem?: boolean } = {}) {}

  async status(): Promise<UsbBackendStatus> {
    if (this.options.noSubsystem) return { available: false, backend: 'simulated', problem: this.#noBus().toJSON() };
    return { available: true, backend: 'simulated', problem: null };
  }

  async getDevices(): Promise<UsbDeviceLike[]> {
    if (this.options.noSubsystem) throw this.#noBus();
    return [...this.#devices].filter((d) => d.plugged);
  }

  /** Attach a device (first time) or re-plug it; fires connect. */
  plug(device: SimulatedUsbAdapter): void {
    if (this.#devices.has(device) && device.plugged) return;
    this.#devices.add(device);
    device.replug();
    for (const l of [...this.#connect]) l(device);
  }

  unplug(device: SimulatedUsbAdapter): void {
    if (!this.#devices.has(device) || !device.plugged) return;
    device.unplug();
    for (const l of [...this.#disconnect]) l(device);
  }

  onConnect(listener: (device: UsbDeviceLike) => void): () => void {
    this.#connect.add(listener);
    return () => this.#connect.delete(listener);
  }

  onDisconnect(listener: (device: UsbDeviceLike) => void): () => void {
    this.#disconnect.add(listener);
    return () => this.#disconnect.delete(listener);
  }

  dispose(): void {
    for (const d of this.#devices) d.unplug();
    this.#connect.clear();
    this.#disconnect.clear();
  }

  #noBus(): WattletError {
    return new WattletError('METER_NO_USB_SUBSYSTEM', 'This system exposes no USB bus to programs (simulated)', { platform: 'simulated' });
  }
}
