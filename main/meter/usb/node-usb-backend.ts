import { existsSync } from 'node:fs';
import { WattletError } from '../../api/errors.js';
import type { UsbBackend, UsbBackendStatus } from './usb-backend.js';
import { CachedUsbDevice } from './cached-usb-device.js';
import { usbError } from './usb-errors.js';
import type { UsbDeviceLike } from './usb-device.js';

/** A `usb` connect/disconnect event: the device it concerns. */
export interface NodeUsbConnectionEvent {
  readonly device: unknown;
}

/** What we use of the `usb` package's default WebUSB object. */
export interface NodeUsbModule {
  readonly usb: {
    getDevices(): Promise<unknown[]>;
    addEventListener?(type: 'connect' | 'disconnect', listener: (e: NodeUsbConnectionEvent) => void): void;
    removeEventListener?(type: 'connect' | 'disconnect', listener: (e: NodeUsbConnectionEvent) => void): void;
  };
}

/**
 * How attach and detach are noticed. 'events': the library's own connect/disconnect, which on
 * Linux come from udev's netlink broadcast — so only while systemd-udevd runs, and after its
 * rules (the uaccess ACL) have been applied. 'poll': comparing getDevices() lists. 'auto':
 * events on Linux when udevd's control socket exists, polling elsewhere.
 */
export type HotplugMode = 'auto' | 'events' | 'poll';

export interface NodeUsbBackendOptions {
  readonly platform?: NodeJS.Platform;
  /** Linux: where the kernel exposes the bus; its absence means "no USB subsystem". */
  readonly sysfsUsbPath?: string;
  /** Hot-plug poll interval (polling mode). */
  readonly pollMs?: number;
  readonly hotplug?: HotplugMode;
  /** Events mode: a slow re-listing as well, in case an event was missed. */
  readonly resyncMs?: number;
  /** Linux: udevd's control socket; its presence means udev events will arrive. */
  readonly udevControlPath?: string;
  readonly load?: () => Promise<NodeUsbModule>;
}

/**
 * The `usb` package's device as our UsbDeviceLike. Its d.ts merges the WebUSB methods in from
 * the DOM's USBDevice type, which this project's tsconfig does not load, so the compiler cannot
 * see them; we check they exist at runtime instead of trusting a cast.
 */
export function asUsbDeviceLike(device: unknown): UsbDeviceLike {
  const d = device as Partial<Record<keyof UsbDeviceLike, unknown>>;
  for (const m of ['open', 'close', 'claimInterface', 'releaseInterface', 'controlTransferIn', 'controlTransferOut', 'transferIn', 'transferOut'] as const) {
    if (typeof d[m] !== 'function') throw new TypeError(`Not a WebUSB-style device: no ${m}()`);
  }
  return device as UsbDeviceLike;
}

/** Where and as what the device is enumerated: a re-plug gets a new address, hence a new key. */
function deviceKey(d: UsbDeviceLike): string {
  const where = d.bus !== undefined ? `${d.bus}/${(d.ports ?? []).join('.')}@${d.address ?? ''}` : '';
  return `${where}#${d.vendorId}:${d.productId}:${d.serialNumber ?? ''}`;
}

/**
 * Production backend over `usb` 3.x. Two facts of that library shape it (USB-NODE.md): with no
 * /sys/bus/usb every lookup rejects, and its 'connect' listener rethrows native failures from a
 * setTimeout — an uncaught exception no caller can catch. So we look for the bus before loading
 * the library at all, and listen to its events only where they can work (Linux with a USB bus
 * and udevd running: the hot-plug test under QEMU shows them arriving there); elsewhere, and
 * if the library has no events, hot-plug is detected by polling getDevices().
 */
export class NodeUsbBackend implements UsbBackend {
  readonly #platform: NodeJS.Platform;
  readonly #sysfs: string;
  readonly #pollMs: number;
  readonly #hotplug: HotplugMode;
  readonly #resyncMs: number;
  readonly #udevControl: string;
  readonly #load: () => Promise<NodeUsbModule>;
  #listening: NodeUsbModule['usb'] | null = null;
  #watching = false;
  #module: NodeUsbModule | null = null;
  #known = new Map<string, UsbDeviceLike>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;
  #pollAgain = false;
  #lastPollProblem: WattletError | null = null;
  readonly #connect = new Set<(d: UsbDeviceLike) => void>();
  readonly #disconnect = new Set<(d: UsbDeviceLike) => void>();

  constructor(options: NodeUsbBackendOptions = {}) {
    this.#platform = options.platform ?? process.platform;
    this.#sysfs = options.sysfsUsbPath ?? '/sys/bus/usb/devices';
    this.#pollMs = options.pollMs ?? 1000;
    this.#hotplug = options.hotplug ?? 'auto';
    this.#resyncMs = options.resyncMs ?? 30_000;
    this.#udevControl = options.udevControlPath ?? '/run/udev/control';
    this.#load = options.load ?? (async () => (await import('usb')) as unknown as NodeUsbModule);
  }

  async status(): Promise<UsbBackendStatus> {
    try {
      await this.getDevices();
      if (this.#lastPollProblem) return { available: false, backend: 'node-usb', problem: this.#lastPollProblem.toJSON() };
      return { available: true, backend: 'node-usb', problem: null };
    } catch (e) {
      const err = e instanceof WattletError ? e : usbError(e, 'listing devices');
      return { available: false, backend: 'node-usb', problem: err.toJSON() };
    }
  }

  async getDevices(): Promise<UsbDeviceLike[]> {
    const mod = await this.#usb();
    let raw: unknown[];
    try {
      raw = await mod.usb.getDevices();
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (/sys\/bus\/usb|not found/i.test(text)) throw this.#noSubsystem(text);
      throw usbError(e, 'listing devices');
    }
    const next = new Map<string, UsbDeviceLike>();
    for (const r of raw) {
      // The freshly listed object has no transfer pending, so its descriptors can be read now.
      const d = asUsbDeviceLike(r);
      const key = deviceKey(d);
      next.set(key, this.#known.get(key) ?? new CachedUsbDevice(d)); // keep identity so a disconnect names the same object
    }
    const before = this.#known;
    this.#known = next;
    for (const [k, d] of next) if (!before.has(k)) for (const l of [...this.#connect]) l(d);
    for (const [k, d] of before) if (!next.has(k)) for (const l of [...this.#disconnect]) l(d);
    return [...next.values()];
  }

  onConnect(listener: (device: UsbDeviceLike) => void): () => void {
    this.#connect.add(listener);
    this.#watch();
    return () => this.#connect.delete(listener);
  }

  onDisconnect(listener: (device: UsbDeviceLike) => void): () => void {
    this.#disconnect.add(listener);
    this.#watch();
    return () => this.#disconnect.delete(listener);
  }

  /** How hot-plug is being noticed right now (null: nobody listens yet). */
  get watching(): 'events' | 'poll' | null {
    if (this.#listening) return 'events';
    return this.#timer ? 'poll' : null;
  }

  dispose(): void {
    this.#watching = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#listening) {
      this.#listening.removeEventListener?.('connect', this.#onNativeConnect);
      this.#listening.removeEventListener?.('disconnect', this.#onNativeDisconnect);
      this.#listening = null;
    }
    this.#connect.clear();
    this.#disconnect.clear();
  }

  #eventsPossible(): boolean {
    if (this.#hotplug === 'poll') return false;
    if (this.#hotplug === 'events') return true;
    return this.#platform === 'linux' && existsSync(this.#sysfs) && existsSync(this.#udevControl);
  }

  #watch(): void {
    if (this.#watching) return;
    this.#watching = true;
    if (!this.#eventsPossible()) return this.#startPolling(this.#pollMs);
    void this.#usb().then(
      (mod) => {
        if (!this.#watching || this.#listening) return;
        if (!mod.usb.addEventListener) return this.#startPolling(this.#pollMs);
        mod.usb.addEventListener('connect', this.#onNativeConnect);
        mod.usb.addEventListener('disconnect', this.#onNativeDisconnect);
        this.#listening = mod.usb;
        // Know what is attached now, so the first unplug is reported; then re-list rarely.
        void this.#poll();
        this.#startPolling(this.#resyncMs);
      },
      () => this.#startPolling(this.#pollMs), // no bus or no library: status() says why; polling notices a bus that appears
    );
  }

  /**
   * An attach or detach: list the devices now and announce the difference, as a poll would. The
   * event's own device object is not handed out — every device we hand out comes from a listing.
   */
  readonly #onNativeConnect = (): void => void this.#poll();
  readonly #onNativeDisconnect = (): void => void this.#poll();

  #startPolling(everyMs: number): void {
    if (this.#timer || !this.#watching) return;
    this.#timer = setInterval(() => void this.#poll(), everyMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    if (this.#polling) {
      // An event during a listing: the listing may predate the change, so list once more after it.
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    try {
      do {
        this.#pollAgain = false;
        try {
          await this.getDevices();
          this.#lastPollProblem = null;
        } catch (e) {
          // Reported through status(); polling continues so a bus that appears later is noticed.
          this.#lastPollProblem = e instanceof WattletError ? e : usbError(e, 'polling devices');
        }
      } while (this.#pollAgain && this.#watching);
    } finally {
      this.#polling = false;
    }
  }

  async #usb(): Promise<NodeUsbModule> {
    if (this.#platform === 'linux' && !existsSync(this.#sysfs)) throw this.#noSubsystem(`${this.#sysfs} does not exist`);
    if (this.#module) return this.#module;
    try {
      this.#module = await this.#load();
    } catch (e) {
      throw new WattletError('METER_NO_USB_SUBSYSTEM', 'The USB library could not be loaded on this system', {
        platform: this.#platform,
        detail: (e instanceof Error ? e.message : String(e)).slice(0, 200),
      }, { cause: e });
    }
    return this.#module;
  }

  #noSubsystem(detail: string): WattletError {
    return new WattletError('METER_NO_USB_SUBSYSTEM', 'This system exposes no USB bus to programs (container or VM without USB passthrough)', {
      platform: this.#platform,
      detail,
      hint: 'Run Wattlet on the machine the meter cable is plugged into, or pass the USB controller through to this VM; a serial port (/dev/tty…) can still be used',
    });
  }
}
