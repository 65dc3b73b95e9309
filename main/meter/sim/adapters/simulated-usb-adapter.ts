import type { LineSettings } from '../../serial/line-settings.js';
import type { UsbConfigurationInfo, UsbControlSetup, UsbDeviceLike, UsbInResult, UsbInterfaceInfo, UsbOutResult } from '../../usb/usb-device.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { InterruptQueue } from './interrupt-queue.js';
import { nominalBaud, uartReceive } from './uart-wire.js';

/** A byte in the chip's receive FIFO with the line errors the UART latched for it. */
export interface RxByte {
  value: number;
  framing: boolean;
  parity: boolean;
  overrun: boolean;
}

export interface SimDescriptor {
  readonly vendorId: number;
  readonly productId: number;
  readonly bcdDevice: number;
  readonly bcdUsb: number;
  readonly deviceClass: number;
  readonly manufacturer: string;
  readonly product: string;
  readonly serialNumber: string | null;
  readonly interfaces: ReadonlyArray<Omit<UsbInterfaceInfo, 'claimed'>>;
}

export interface ControlLogEntry {
  readonly direction: 'in' | 'out';
  readonly setup: UsbControlSetup;
  readonly data?: Uint8Array;
  readonly outcome: 'ok' | 'stall';
}

/** The chip refuses a control request: the bus answers STALL (usb 3.1 rejects with it). */
export class Stall extends Error {
  constructor(why: string) {
    super(`endpoint stalled: ${why}`);
  }
}

interface PendingIn {
  readonly endpoint: number;
  readonly length: number;
  resolve(r: UsbInResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | null;
}

/** The receive FIFO a real chip has (FT232R: 256 B; CP2102: 576 B); beyond it bytes are lost. */
const RX_FIFO_LIMIT = 4096;

/**
 * A simulated USB-serial chip behind the WebUSB surface the drivers use. Subclasses are the
 * chips: they check each control request as the silicon does (refusing with a stall) and frame
 * bulk IN data as it does. This base holds what all share: descriptors, open/claim state,
 * unplug/replug, the receive FIFO and the wire to a simulated meter.
 */
export abstract class SimulatedUsbAdapter implements UsbDeviceLike {
  readonly controlLog: ControlLogEntry[] = [];
  /** Bytes the host wrote, as they went onto the wire. */
  readonly written: number[] = [];
  protected rx: RxByte[] = [];
  protected pendingIn: PendingIn[] = [];
  /** Interrupt IN packets (line-state notifications) waiting for the host to poll. */
  readonly #interrupt = new InterruptQueue();
  #plugged = true;
  #opened = false;
  #configured = false;
  #claimed = new Set<number>();
  #line: SimulatedMeterLine | null = null;
  #hostSide: WireHostSide = { fromMeter: (bytes, sentWith) => this.#receive(bytes, sentWith) };

  constructor(readonly descriptor: SimDescriptor) {}

  get vendorId(): number { return this.descriptor.vendorId; }
  get productId(): number { return this.descriptor.productId; }
  get deviceClass(): number { return this.descriptor.deviceClass; }
  get deviceSubclass(): number { return 0; }
  get deviceProtocol(): number { return 0; }
  get deviceVersionMajor(): number { return this.descriptor.bcdDevice >> 8; }
  get deviceVersionMinor(): number { return (this.descriptor.bcdDevice >> 4) & 0xf; }
  get deviceVersionSubminor(): number { return this.descriptor.bcdDevice & 0xf; }
  get usbVersionMajor(): number { return this.descriptor.bcdUsb >> 8; }
  get usbVersionMinor(): number { return (this.descriptor.bcdUsb >> 4) & 0xf; }
  get manufacturerName(): string { return this.descriptor.manufacturer; }
  get productName(): string { return this.descriptor.product; }
  get serialNumber(): string | null { return this.descriptor.serialNumber; }
  get opened(): boolean { return this.#opened; }
  get plugged(): boolean { return this.#plugged; }
  get configurations(): UsbConfigurationInfo[] {
    return [{ configurationValue: 1, interfaces: this.descriptor.interfaces.map((i) => ({ ...i, claimed: this.#claimed.has(i.interfaceNumber) })) }];
  }
  get configuration(): UsbConfigurationInfo | null {
    return this.#configured ? this.configurations[0]! : null;
  }

  /** The chip's UART settings as its registers stand, or null while it is not running. */
  protected abstract uartSettings(): LineSettings | null;
  /** What the UART runs at now, decoded from the chip's registers (null: not running). */
  get uart(): LineSettings | null {
    return this.uartSettings();
  }
  protected abstract controlOutRequest(setup: UsbControlSetup, data: Uint8Array): void;
  protected abstract controlInRequest(setup: UsbControlSetup, length: number): Uint8Array;
  /**
   * One bulk IN answer from the FIFO, or null to keep the host waiting (NAK). Raw chips send
   * what they have: full max-packets and a short one to end the transfer.
   */
  protected takeIn(length: number, _timerFired: boolean): Uint8Array | null {
    if (this.rx.length === 0) return null;
    return Uint8Array.from(this.rx.splice(0, length), (b) => b.value);
  }
  /** How long the chip holds a short answer back (FTDI latency timer); 0 = answer at once. */
  protected holdMs(): number { return 0; }
  /** The UART latched these characters (with their error flags); chips that report errors out of band override it. */
  protected charactersReceived(_chars: readonly RxByte[]): void {}
  /** Back to power-on state (plugging in again resets the silicon). */
  protected abstract resetChip(): void;

  /** Connect a simulated meter to the adapter's serial side. */
  connectMeter(line: SimulatedMeterLine): void {
    this.#line?.detach();
    this.#line = line;
    if (this.#plugged) line.attach(this.#hostSide);
  }

  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#opened = false;
    this.#configured = false;
    this.#claimed.clear();
    this.#line?.detach();
    for (const p of this.pendingIn.splice(0)) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error('Device disconnected'));
    }
    this.#interrupt.abort(() => new Error('Device disconnected'));
    this.rx = [];
  }

  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    this.resetChip();
    this.controlLog.length = 0;
    if (this.#line) this.#line.attach(this.#hostSide);
  }

  async open(): Promise<void> {
    this.#assertPlugged();
    this.#opened = true;
  }

  async close(): Promise<void> {
    this.#opened = false;
    this.#configured = false;
    this.#claimed.clear();
    for (const p of this.pendingIn.splice(0)) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error('Cancelled'));
    }
    this.#interrupt.abort(() => new Error('Cancelled'));
  }

  async selectConfiguration(value: number): Promise<void> {
    this.#assertOpen();
    if (value !== 1) throw new Stall(`no configuration ${value}`);
    this.#configured = true;
  }

  async claimInterface(n: number): Promise<void> {
    this.#assertOpen();
    if (!this.descriptor.interfaces.some((i) => i.interfaceNumber === n)) throw new Error(`Interface ${n} not found`);
    this.#claimed.add(n);
  }

  async releaseInterface(n: number): Promise<void> {
    this.#assertOpen();
    this.#claimed.delete(n);
  }

  async controlTransferOut(setup: UsbControlSetup, data?: Uint8Array): Promise<UsbOutResult> {
    this.#assertOpen();
    // usb 3.1 throws on an OUT without a data argument; the simulation keeps that defect honest.
    if (data === undefined) throw new TypeError('controlTransferOut needs data (pass an empty Uint8Array)');
    try {
      this.controlOutRequest(setup, data);
    } catch (e) {
      this.controlLog.push({ direction: 'out', setup, data: data.slice(), outcome: 'stall' });
      throw e;
    }
    this.controlLog.push({ direction: 'out', setup, data: data.slice(), outcome: 'ok' });
    return { bytesWritten: data.length, status: 'ok' };
  }

  async controlTransferIn(setup: UsbControlSetup, length: number): Promise<UsbInResult> {
    this.#assertOpen();
    let bytes: Uint8Array;
    try {
      bytes = this.controlInRequest(setup, length).slice(0, length);
    } catch (e) {
      this.controlLog.push({ direction: 'in', setup, outcome: 'stall' });
      throw e;
    }
    this.controlLog.push({ direction: 'in', setup, outcome: 'ok' });
    return { data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), status: 'ok' };
  }

  async transferOut(endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    this.#assertEndpoint(endpoint, 'out');
    const settings = this.uartSettings();
    const copy = data.slice();
    this.written.push(...copy);
    if (settings) this.#line?.toMeter(copy, { ...settings, baudRate: nominalBaud(settings.baudRate) });
    return { bytesWritten: data.length, status: 'ok' };
  }

  transferIn(endpoint: number, length: number, timeout?: number): Promise<UsbInResult> {
    let type: string;
    try {
      type = this.#assertEndpoint(endpoint, 'in');
    } catch (e) {
      return Promise.reject(e);
    }
    if (type === 'interrupt') return this.#interrupt.poll(length, timeout);
    return new Promise((resolve, reject) => {
      const pending: PendingIn = { endpoint, length, resolve, reject, timer: null };
      const hold = this.holdMs();
      const deadline = timeout !== undefined && timeout > 0 ? timeout : 0;
      if (hold > 0 && (deadline === 0 || hold < deadline)) {
        pending.timer = setTimeout(() => this.#serve(pending, true), hold);
      } else if (deadline > 0) {
        // usb 3.1 reports a timed-out bulk IN as "Cancelled", not as a timeout.
        pending.timer = setTimeout(() => this.#drop(pending, new Error('Cancelled')), deadline);
      }
      this.pendingIn.push(pending);
      this.pump();
    });
  }

  /** Queue an interrupt IN packet (a SERIAL_STATE notification …) for the host's next poll. */
  protected notify(packet: Uint8Array): void {
    this.#interrupt.push(packet);
  }

  /** Offer the FIFO to waiting transfers (called when bytes arrive). */
  protected pump(): void {
    for (const p of [...this.pendingIn]) {
      if (!this.#serve(p, false)) break;
    }
  }

  #serve(p: PendingIn, timerFired: boolean): boolean {
    if (!this.pendingIn.includes(p)) return false;
    const bytes = this.takeIn(p.length, timerFired);
    if (!bytes) return false;
    if (p.timer) clearTimeout(p.timer);
    this.pendingIn.splice(this.pendingIn.indexOf(p), 1);
    p.resolve({ data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), status: 'ok' });
    return true;
  }

  #drop(p: PendingIn, e: Error): void {
    const i = this.pendingIn.indexOf(p);
    if (i < 0) return;
    this.pendingIn.splice(i, 1);
    p.reject(e);
  }

  #receive(bytes: Uint8Array, sentWith: LineSettings): void {
    const settings = this.uartSettings();
    if (!this.#plugged || !this.#opened || !settings) return; // the chip is not listening
    const latched: RxByte[] = [];
    for (const c of uartReceive(bytes, sentWith, settings)) {
      if (this.rx.length >= RX_FIFO_LIMIT) {
        const last = this.rx[this.rx.length - 1];
        if (last) last.overrun = true;
        continue;
      }
      const b = { value: c.value, framing: c.framing, parity: c.parity, overrun: false };
      this.rx.push(b);
      latched.push(b);
    }
    this.charactersReceived(latched);
    // Batch what arrives in one tick, as a chip fills a packet before the host polls.
    setImmediate(() => this.pump());
  }

  #assertPlugged(): void {
    if (!this.#plugged) throw new Error('Device disconnected');
  }

  #assertOpen(): void {
    this.#assertPlugged();
    if (!this.#opened) throw new Error('Device not opened');
  }

  /** The endpoint's type, after checking it exists and its interface is claimed. */
  #assertEndpoint(endpoint: number, direction: 'in' | 'out'): string {
    this.#assertOpen();
    for (const iface of this.descriptor.interfaces) {
      const ep = iface.alternate.endpoints.find(
        (e) => e.endpointNumber === endpoint && e.direction === direction && (e.type === 'bulk' || (e.type === 'interrupt' && direction === 'in')),
      );
      if (!ep) continue;
      if (!this.#claimed.has(iface.interfaceNumber)) throw new Error(`Endpoint ${endpoint} needs interface ${iface.interfaceNumber} to be owned first`);
      return ep.type;
    }
    throw new Stall(`no bulk ${direction} endpoint ${endpoint}`);
  }
}
