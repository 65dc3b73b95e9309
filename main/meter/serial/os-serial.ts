import { WattletError } from '../../api/errors.js';
import { Emitter, type ListenerErrorHandler } from '../../lifecycle/emitter.js';
import type { SerialPort as StreamPort } from 'serialport';
import type { LineSettings } from './line-settings.js';
import type { SerialPort, SerialPortStats } from './serial-port.js';

type SerialPortModule = typeof import('serialport');

/** Loaded on first open: the native binding is only needed on this path. */
export async function loadSerialPortModule(): Promise<SerialPortModule> {
  try {
    return await import('serialport');
  } catch (e) {
    throw new WattletError('METER_OS_SERIAL_FAILED', 'The serial-port library could not be loaded', {
      reason: (e instanceof Error ? e.message : String(e)).slice(0, 200),
    }, { cause: e });
  }
}

/** errno of a serialport failure, as the binding reports it in the message. */
export function osSerialError(e: unknown, devicePath: string, what: string): WattletError {
  if (e instanceof WattletError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const facts = { device: devicePath, operation: what, detail: text.slice(0, 200) };
  if (/ENOENT|No such file|cannot find/i.test(text)) return new WattletError('METER_DEVICE_NOT_FOUND', `${devicePath} does not exist`, { ...facts, selector: devicePath }, { cause: e });
  if (/EACCES|EPERM|Permission denied|Access denied/i.test(text)) {
    return new WattletError('METER_PERMISSION_DENIED', `No permission to open ${devicePath}`, {
      ...facts,
      installCommand: 'sudo usermod -aG dialout "$USER"  # then log out and in again',
    }, { cause: e });
  }
  if (/EBUSY|busy|locked/i.test(text)) return new WattletError('METER_INTERFACE_CLAIMED', `${devicePath} is in use by another program`, facts, { cause: e });
  // A pty or USB tty that vanished reads as EIO/ENXIO, or EBADF once the binding's poller notices.
  if (/EIO|ENXIO|EBADF|bad file descriptor|disconnected|ENODEV/i.test(text)) return new WattletError('METER_DEVICE_GONE', `${devicePath} went away during ${what}`, facts, { cause: e });
  return new WattletError('METER_OS_SERIAL_FAILED', `${what} on ${devicePath} failed: ${text.slice(0, 120)}`, facts, { cause: e });
}

/**
 * The second path: the operating system's serial driver (vendor COM-port drivers, usbser.sys,
 * macOS's built-in drivers, Linux ttyUSB/ttyACM, or a pty) through `serialport`, behind the same
 * SerialPort interface as the userspace drivers, with the same listener-error policy: a data
 * listener that throws is isolated, then fails the port; a throwing error listener goes to
 * `onListenerError`.
 */
export class OsSerialPort implements SerialPort {
  readonly path = 'os' as const;
  readonly family = 'os-serial';
  readonly stats: SerialPortStats = { bytesIn: 0, bytesOut: 0, lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 } };
  #port: StreamPort | null = null;
  #settings: LineSettings | null = null;
  #closing = false;
  readonly #data: Emitter<Uint8Array>;
  readonly #errors: Emitter<Error>;
  #consumerFailed: unknown = null;

  constructor(
    readonly devicePath: string,
    readonly load: () => Promise<SerialPortModule> = loadSerialPortModule,
    options: { readonly onListenerError?: ListenerErrorHandler } = {},
  ) {
    this.#data = new Emitter({ onListenerError: (e) => (this.#consumerFailed ??= e) });
    this.#errors = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  get settings(): LineSettings | null {
    return this.#settings;
  }

  get isOpen(): boolean {
    return this.#port !== null;
  }

  async open(settings: LineSettings): Promise<void> {
    if (this.#port) throw new WattletError('METER_OS_SERIAL_FAILED', `${this.devicePath} is already open`, { device: this.devicePath });
    const { SerialPort: Port } = await this.load();
    const port = new Port({
      path: this.devicePath,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      autoOpen: false,
      lock: true,
    });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(osSerialError(e, this.devicePath, 'opening')) : resolve())));
    this.#closing = false;
    port.on('data', (chunk: Buffer) => {
      this.stats.bytesIn += chunk.length;
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      this.#data.fire(bytes);
      const failed = this.#consumerFailed;
      if (failed) {
        this.#consumerFailed = null;
        this.#fail(new WattletError('METER_OS_SERIAL_FAILED', `A reader of ${this.devicePath} failed: ${failed instanceof Error ? failed.message : String(failed)}`.slice(0, 200), { device: this.devicePath }, { cause: failed }));
      }
    });
    port.on('error', (e: Error) => this.#fail(osSerialError(e, this.devicePath, 'reading')));
    port.on('close', (e: (Error & { disconnected?: boolean }) | null) => {
      if (this.#closing || this.#port !== port) return;
      this.#fail(osSerialError(e ?? new Error('disconnected'), this.devicePath, 'reading'));
    });
    this.#port = port;
    this.#settings = settings;
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    const port = this.#require('changing line settings');
    const current = this.#settings!;
    if (current.dataBits === settings.dataBits && current.parity === settings.parity && current.stopBits === settings.stopBits) {
      await new Promise<void>((resolve, reject) =>
        port.update({ baudRate: settings.baudRate }, (e) => (e ? reject(osSerialError(e, this.devicePath, 'changing speed')) : resolve())),
      );
      this.#settings = settings;
      return;
    }
    // serialport can change only the speed of an open port; a format change means reopening.
    await this.close();
    await this.open(settings);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.#require('writing');
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (e) => {
        if (e) return reject(osSerialError(e, this.devicePath, 'writing'));
        port.drain((d) => (d ? reject(osSerialError(d, this.devicePath, 'writing')) : resolve()));
      });
    });
    this.stats.bytesOut += bytes.length;
  }

  async setSignals(signals: { dtr?: boolean; rts?: boolean; brk?: boolean }): Promise<void> {
    const port = this.#require('setting control lines');
    await new Promise<void>((resolve, reject) =>
      port.set(signals, (e) => (e ? reject(osSerialError(e, this.devicePath, 'setting control lines')) : resolve())),
    );
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
    const port = this.#port;
    if (!port) return;
    this.#closing = true;
    this.#port = null;
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve())); // a failed close leaves nothing for us to release
  }

  #require(what: string): StreamPort {
    if (!this.#port) throw new WattletError('METER_PORT_NOT_OPEN', `${this.devicePath} is not open (${what})`, { device: this.devicePath });
    return this.#port;
  }

  #fail(error: WattletError): void {
    const port = this.#port;
    if (!port) return;
    this.#closing = true;
    this.#port = null;
    if (port.isOpen) port.close(() => undefined); // already failing; `error` is what matters
    this.#errors.fire(error);
  }
}
