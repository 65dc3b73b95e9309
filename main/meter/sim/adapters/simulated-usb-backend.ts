import { WattletError } from '../../../api/errors.js';
import { Emitter, type ListenerErrorHandler } from '../../../lifecycle/emitter.js';
import type { UsbBackend, UsbBackendStatus } from '../../usb/usb-backend.js';
import type { UsbDeviceLike } from '../../usb/usb-device.js';
import type { SimulatedUsbAdapter } from './simulated-usb-adapter.js';

/**
 * A USB bus of simulated adapters behind the same seam production uses: tests and demo mode
 * plug, unplug and re-plug devices and the app sees hot-plug events as it would from `usb`.
 * `noSubsystem` reproduces a machine without /sys/bus/usb. A throwing listener is isolated, as
 * with every emitter of the app, and handed to `onListenerError` (default: stderr).
 */
export class SimulatedUsbBackend implements UsbBackend {
  readonly #devices = new Set<SimulatedUsbAdapter>();
  readonly #connect: Emitter<UsbDeviceLike>;
  readonly #disconnect: Emitter<UsbDeviceLike>;

  constructor(readonly options: { noSubsystem?: boolean; onListenerError?: ListenerErrorHandler } = {}) {
    const policy = options.onListenerError ? { onListenerError: options.onListenerError } : {};
    this.#connect = new Emitter(policy);
    this.#disconnect = new Emitter(policy);
  }

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
    this.#connect.fire(device);
  }

  unplug(device: SimulatedUsbAdapter): void {
    if (!this.#devices.has(device) || !device.plugged) return;
    device.unplug();
    this.#disconnect.fire(device);
  }

  onConnect(listener: (device: UsbDeviceLike) => void): () => void {
    const s = this.#connect.event(listener);
    return () => s.dispose();
  }

  onDisconnect(listener: (device: UsbDeviceLike) => void): () => void {
    const s = this.#disconnect.event(listener);
    return () => s.dispose();
  }

  dispose(): void {
    for (const d of this.#devices) d.unplug();
    this.#connect.dispose();
    this.#disconnect.dispose();
  }

  #noBus(): WattletError {
    return new WattletError('METER_NO_USB_SUBSYSTEM', 'This system exposes no USB bus to programs (simulated)', { platform: 'simulated' });
  }
}
