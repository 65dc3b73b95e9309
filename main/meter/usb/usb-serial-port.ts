import { WattletError } from '../../api/errors.js';
import type { AdapterFamilyName } from '../../api/meter.js';
import { Emitter, type ListenerErrorHandler } from '../../lifecycle/emitter.js';
import type { LineSettings } from '../serial/line-settings.js';
import type { LineErrorCounts, SerialPort, SerialPortStats } from '../serial/serial-port.js';
import { isTransferTimeout, usbError } from './usb-errors.js';
import { resultBytes, type UsbDeviceLike } from './usb-device.js';

export interface SerialSignals {
  dtr?: boolean;
  rts?: boolean;
  brk?: boolean;
}

/**
 * What one adapter family contributes: its control requests and its bulk IN framing. The
 * generic UsbSerialPort owns the device lifecycle, the read loop and the listeners.
 */
export interface UsbSerialDriver {
  readonly family: AdapterFamilyName;
  /** Claim the interfaces and run the chip's init sequence, then apply `settings`. */
  open(settings: LineSettings): Promise<void>;
  setLineSettings(settings: LineSettings): Promise<void>;
  setSignals(signals: SerialSignals): Promise<void>;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  /** Bytes to request per bulk IN transfer (FTDI: a multiple of the max-packet size). */
  readonly inLength: number;
  /** Line data from one bulk IN transfer; adds in-band error bits to `errors`. */
  decode(transfer: Uint8Array, errors: LineErrorCounts): Uint8Array;
  /** Interrupt IN endpoint with out-of-band line state (CDC SERIAL_STATE), if the family has one. */
  readonly notifyEndpoint?: number;
  /** Count the error bits of one line-state notification. */
  decodeNotification?(packet: Uint8Array, errors: LineErrorCounts): void;
  /** Release the interfaces (the port closes the device). Best effort: the device may be gone. */
  release(): Promise<void>;
}

/** `usb` 3.x has no transfer cancel: a bounded wait lets the read loop notice close(). */
const READ_TIMEOUT_MS = 500;

/** Runs a best-effort step whose failure, synchronous or not, changes nothing for the caller. */
async function settle(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch {
    // Best effort by design: the link is closing or already broken.
  }
}

/**
 * The generic USB serial port: the device lifecycle, the read loops and the listeners, whatever
 * the family. Listener errors (the one policy, lifecycle/emitter.ts): a data listener that throws
 * is isolated from the others, and then fails the port — a consumer bug must not leave the link
 * half alive; an error listener that throws goes to `onListenerError` (the owner's logger).
 */
export class UsbSerialPort implements SerialPort {
  readonly path = 'usb' as const;
  readonly stats: SerialPortStats = { bytesIn: 0, bytesOut: 0, lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 } };
  #settings: LineSettings | null = null;
  #state: 'closed' | 'opening' | 'open' | 'closing' = 'closed';
  readonly #data: Emitter<Uint8Array>;
  readonly #errors: Emitter<Error>;
  /** A data listener threw: the port fails once the chunk has reached every listener. */
  #consumerFailed: Error | null = null;
  #loop: Promise<void> | null = null;
  #notifyLoop: Promise<void> | null = null;

  constructor(
    readonly device: UsbDeviceLike,
    readonly driver: UsbSerialDriver,
    options: { readonly onListenerError?: ListenerErrorHandler } = {},
  ) {
    this.#data = new Emitter({ onListenerError: (e) => (this.#consumerFailed ??= e instanceof Error ? e : new Error(String(e))) });
    this.#errors = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  get family(): string {
    return this.driver.family;
  }

  get settings(): LineSettings | null {
    return this.#settings;
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  async open(settings: LineSettings): Promise<void> {
    if (this.#state !== 'closed') throw new WattletError('METER_TRANSFER_FAILED', 'The port is already open', { family: this.family });
    this.#state = 'opening';
    try {
      if (!this.device.opened) await this.device.open();
      if (!this.device.configuration) await this.device.selectConfiguration(this.device.configurations[0]?.configurationValue ?? 1);
      await this.driver.open(settings);
    } catch (e) {
      this.#state = 'closed';
      await this.driver.release().catch(() => undefined); // already failing; the first error is the one to report
      await this.device.close().catch(() => undefined);
      throw usbError(e, 'opening the adapter', { family: this.family });
    }
    this.#settings = settings;
    this.#state = 'open';
    this.#loop = this.#readLoop();
    if (this.driver.notifyEndpoint !== undefined) this.#notifyLoop = this.#readNotifications(this.driver.notifyEndpoint);
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    this.#assertOpen('changing line settings');
    await this.driver.setLineSettings(settings);
    this.#settings = settings;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.#assertOpen('writing');
    let r;
    try {
      r = await this.device.transferOut(this.driver.outEndpoint, bytes, 5000);
    } catch (e) {
      throw usbError(e, 'writing', { family: this.family });
    }
    if (r.status !== 'ok') throw new WattletError('METER_ADAPTER_REFUSED', 'The adapter stalled a write', { family: this.family });
    this.stats.bytesOut += r.bytesWritten;
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    this.#assertOpen('setting control lines');
    await this.driver.setSignals(signals);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    const s = this.#data.event(listener);
    return () => s.dispose();
  }

  onError(listener: (error: Error) => void): () => void {
    const s = this.#errors.event(listener);
    return () => s.dispose();
  }

  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    // Let the read loops end first (each within READ_TIMEOUT_MS): usb 3.1 throws synchronously
    // ("cannot be borrowed mutably") when an interface is released or the device closed while a
    // transfer on it is pending, which left the device open and claimed (seen under QEMU).
    await this.#loop;
    await this.#notifyLoop;
    this.#loop = this.#notifyLoop = null;
    await settle(() => this.driver.release()); // the device may already be gone: nothing left to release
    await settle(() => this.device.close());
    this.#state = 'closed';
  }

  #assertOpen(what: string): void {
    if (this.#state !== 'open') throw new WattletError('METER_PORT_NOT_OPEN', `The port is not open (${what})`, { family: this.family });
  }

  async #readLoop(): Promise<void> {
    while (this.#state === 'open') {
      let transfer: Uint8Array;
      try {
        const r = await this.device.transferIn(this.driver.inEndpoint, this.driver.inLength, READ_TIMEOUT_MS);
        if (r.status !== 'ok') throw new WattletError('METER_ADAPTER_REFUSED', 'The adapter stalled the bulk IN endpoint', { family: this.family });
        transfer = resultBytes(r);
      } catch (e) {
        if (this.#state !== 'open') return;
        if (isTransferTimeout(e)) continue;
        await this.#fail(usbError(e, 'reading', { family: this.family }));
        return;
      }
      const data = this.driver.decode(transfer, this.stats.lineErrors);
      if (data.length === 0) continue;
      this.stats.bytesIn += data.length;
      this.#data.fire(data);
      const failed = this.#consumerFailed;
      if (failed) {
        // A consumer bug must not leave the port half alive: stop and tell the error listeners.
        this.#consumerFailed = null;
        await this.#fail(failed);
        return;
      }
    }
  }

  async #readNotifications(endpoint: number): Promise<void> {
    while (this.#state === 'open') {
      let packet: Uint8Array;
      try {
        const r = await this.device.transferIn(endpoint, 16, READ_TIMEOUT_MS);
        if (r.status !== 'ok') return; // no line state from this adapter; data still flows
        packet = resultBytes(r);
      } catch (e) {
        if (this.#state === 'open' && isTransferTimeout(e)) continue;
        return; // a gone device is reported once, by the data loop
      }
      this.driver.decodeNotification?.(packet, this.stats.lineErrors);
    }
  }

  async #fail(error: Error): Promise<void> {
    this.#state = 'closing';
    await this.#notifyLoop; // its pending transfer must end before the interfaces go (see close)
    await settle(() => this.driver.release()); // the link is already broken; `error` says why
    await settle(() => this.device.close());
    this.#state = 'closed';
    this.#errors.fire(error);
  }
}
