import { WattletError } from '../../api/errors.js';
import type { UsbDeviceInfo, UsbStatus } from '../../api/meter.js';
import { DisposableStore } from '../../lifecycle/disposables.js';
import { Emitter, type ListenerErrorHandler } from '../../lifecycle/emitter.js';
import { matchFamily } from './adapter-families.js';
import { decidePath, type PathChoice } from './path-policy.js';
import type { UsbBackend } from './usb-backend.js';
import { hex4, type UsbDeviceLike } from './usb-device.js';

export interface HotplugEvent {
  readonly kind: 'connect' | 'disconnect';
  readonly device: UsbDeviceInfo;
}

export interface MeterDiscoveryOptions {
  readonly backend: UsbBackend;
  readonly platform?: NodeJS.Platform;
  /** Wait this long after an attach before announcing it (devices re-enumerate; Frame uses ~200 ms). */
  readonly debounceMs?: number;
  /**
   * Where a throwing hot-plug listener's error goes (the composition root's logger): the others
   * (the UI's event, the session's reconnect) still hear the event.
   */
  readonly onListenerError?: ListenerErrorHandler;
}

/**
 * Finds meter adapters: lists USB devices with the family each matches (or why none), the path
 * each will take and why; turns the backend's attach/detach into debounced hot-plug events;
 * finds a device again by its serial number wherever it is plugged in.
 */
export class MeterDiscovery {
  readonly #backend: UsbBackend;
  readonly #platform: NodeJS.Platform;
  readonly #debounceMs: number;
  readonly #disposables = new DisposableStore();
  readonly #hotplug: Emitter<HotplugEvent>;
  readonly #pending = new Map<UsbDeviceLike, NodeJS.Timeout>();
  /** What was announced for each device, reused on detach: a gone device may no longer answer string reads. */
  readonly #announced = new Map<UsbDeviceLike, UsbDeviceInfo>();
  readonly #choices = new Map<string, PathChoice>();
  readonly #anonymousIds = new WeakMap<UsbDeviceLike, string>();
  #anonymousCount = 0;

  constructor(options: MeterDiscoveryOptions) {
    this.#backend = options.backend;
    this.#platform = options.platform ?? process.platform;
    this.#debounceMs = options.debounceMs ?? 200;
    this.#hotplug = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  status(): Promise<UsbStatus> {
    return this.#backend.status();
  }

  async list(): Promise<UsbDeviceInfo[]> {
    const devices = await this.#backend.getDevices();
    return devices.map((d) => this.describe(d));
  }

  describe(d: UsbDeviceLike): UsbDeviceInfo {
    const match = matchFamily(d);
    const id = this.deviceId(d);
    const choice = this.#choices.get(id) ?? 'auto';
    const path = decidePath(match.family, this.#platform, choice);
    return {
      id,
      vendorId: d.vendorId,
      productId: d.productId,
      vidPid: `${hex4(d.vendorId)}:${hex4(d.productId)}`,
      manufacturer: d.manufacturerName ?? null,
      product: d.productName ?? null,
      serialNumber: d.serialNumber ?? null,
      deviceClass: d.deviceClass,
      family: match.family,
      familyReason: match.reason,
      path: path.path,
      pathReason: path.reason,
      pathChoice: choice,
    };
  }

  /** vid:pid:serial when the adapter has a serial (it follows the cable), else where it sits. */
  deviceId(d: UsbDeviceLike): string {
    const vidPid = `${hex4(d.vendorId)}:${hex4(d.productId)}`;
    if (d.serialNumber) return `${vidPid}:${d.serialNumber}`;
    if (d.bus !== undefined) return `${vidPid}@${d.bus}${d.ports?.length ? `-${d.ports.join('.')}` : ''}`;
    let id = this.#anonymousIds.get(d);
    if (!id) {
      id = `${vidPid}#${++this.#anonymousCount}`;
      this.#anonymousIds.set(d, id);
    }
    return id;
  }

  async choosePath(deviceId: string, choice: PathChoice): Promise<UsbDeviceInfo> {
    const device = (await this.#backend.getDevices()).find((d) => this.deviceId(d) === deviceId);
    if (!device) throw new WattletError('METER_DEVICE_NOT_FOUND', `No device ${deviceId}`, { selector: deviceId });
    if (choice === 'auto') this.#choices.delete(deviceId);
    else this.#choices.set(deviceId, choice);
    return this.describe(device);
  }

  /**
   * A device by serial number, "vid:pid" (first match) or discovery id. A serial number keeps a
   * meter's identity when its cable moves to another port.
   */
  async find(selector: string): Promise<UsbDeviceLike> {
    const devices = await this.#backend.getDevices();
    const s = selector.trim();
    const vidPid = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(s);
    const found = vidPid
      ? devices.find((d) => d.vendorId === parseInt(vidPid[1]!, 16) && d.productId === parseInt(vidPid[2]!, 16))
      : devices.find((d) => d.serialNumber === s) ?? devices.find((d) => this.deviceId(d) === s);
    if (!found) {
      throw new WattletError('METER_DEVICE_NOT_FOUND', `No USB device matches ${s.slice(0, 80)}`, {
        selector: s.slice(0, 80),
        attached: devices.length,
      });
    }
    return found;
  }

  /** Debounced connect / immediate disconnect. Starts watching on the first listener. */
  onHotplug(listener: (e: HotplugEvent) => void): () => void {
    if (!this.#watching) this.#watch();
    const s = this.#hotplug.event(listener);
    return () => s.dispose();
  }

  #watching = false;

  #watch(): void {
    this.#watching = true;
    // Devices already present count as announced, so their unplug is reported. Where there is
    // no USB bus this rejects; status() and list() report that, hot-plug simply stays quiet.
    this.#backend.getDevices().then(
      (ds) => ds.forEach((d) => this.#announced.set(d, this.describe(d))),
      () => undefined,
    );
    this.#disposables.add(
      this.#backend.onConnect((d) => {
        const prior = this.#pending.get(d);
        if (prior) clearTimeout(prior);
        const t = setTimeout(() => {
          this.#pending.delete(d);
          const info = this.describe(d);
          this.#announced.set(d, info);
          this.#emit({ kind: 'connect', device: info });
        }, this.#debounceMs);
        t.unref();
        this.#pending.set(d, t);
      }),
    );
    this.#disposables.add(
      this.#backend.onDisconnect((d) => {
        const pending = this.#pending.get(d);
        if (pending) {
          // Gone before it settled: a bounce during enumeration, not worth announcing.
          clearTimeout(pending);
          this.#pending.delete(d);
          return;
        }
        const info = this.#announced.get(d);
        if (!info) return;
        this.#announced.delete(d);
        this.#emit({ kind: 'disconnect', device: info });
      }),
    );
    this.#disposables.add(() => {
      for (const t of this.#pending.values()) clearTimeout(t);
      this.#pending.clear();
    });
  }

  #emit(e: HotplugEvent): void {
    this.#hotplug.fire(e);
  }

  async dispose(): Promise<void> {
    this.#hotplug.dispose();
    await this.#disposables.dispose();
  }
}
