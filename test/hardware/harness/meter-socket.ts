import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { nominalBaud } from '../../../main/meter/sim/adapters/uart-wire.js';
import type { SimulatedMeterLine } from '../../../main/meter/sim/wire.js';
import { MeterWire, type ChipLineSource } from './meter-wire.js';
import type { ChipLineTracker } from './trace.js';

/** QEMU's FTDI model powers up at 9600 8N1 (hw/usb/dev-serial.c usb_serial_reset). */
const CHIP_DEFAULT: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

export function chipLineSettings(tracker: ChipLineTracker): LineSettings {
  const { baud, format } = tracker.current;
  const m = format ? /^([5-8])([NOE])([12])$/.exec(format) : null;
  return {
    baudRate: baud ? nominalBaud(baud) : CHIP_DEFAULT.baudRate,
    dataBits: m ? (Number(m[1]) as 7 | 8) : CHIP_DEFAULT.dataBits,
    parity: m ? ({ N: 'none', O: 'odd', E: 'even' } as const)[m[2] as 'N' | 'O' | 'E'] : CHIP_DEFAULT.parity,
    stopBits: m ? (Number(m[3]) as 1 | 2) : CHIP_DEFAULT.stopBits,
  };
}

export interface MeterConnection {
  readonly index: number;
  /** Unplug: the meter side hangs up, QEMU detaches the adapter (no always-plugged). */
  hangUp(): void;
  readonly closed: Promise<void>;
  /** Bytes the guest wrote, as QEMU passed them on. */
  readonly fromGuest: Uint8Array[];
}

/**
 * The host end of the FTDI adapter's serial side. QEMU dials this Unix socket; each connection
 * is one plug-in of the adapter. The simulated meter talks through a MeterWire that knows what
 * the emulated chip was set to from QEMU's trace, not from our driver.
 */
export class MeterSocket {
  readonly #server: Server;
  readonly #connections: MeterConnection[] = [];
  readonly #waiters: ((c: MeterConnection) => void)[] = [];
  readonly #log: string[] = [];
  readonly #chip: ChipLineSource;

  private constructor(
    readonly path: string,
    readonly meter: SimulatedMeterLine,
    readonly tracker: ChipLineTracker,
  ) {
    this.#server = createServer((s) => this.#accept(s));
    this.#chip = { current: () => chipLineSettings(tracker), changed: (ms) => tracker.changed(ms) };
  }

  static async listen(path: string, meter: SimulatedMeterLine, tracker: ChipLineTracker): Promise<MeterSocket> {
    rmSync(path, { force: true });
    const m = new MeterSocket(path, meter, tracker);
    await new Promise<void>((resolve, reject) => {
      m.#server.once('error', reject);
      m.#server.listen(path, () => resolve());
    });
    return m;
  }

  get connections(): readonly MeterConnection[] {
    return this.#connections;
  }

  /** What happened on the wire, for failure messages. */
  get log(): readonly string[] {
    return this.#log;
  }

  /** Resolves with connection number `index` (0 = first plug-in) once QEMU has dialled it. */
  connection(index: number): Promise<MeterConnection> {
    const have = this.#connections[index];
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => {
      const check = (c: MeterConnection): void => {
        if (c.index === index) resolve(c);
        else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }

  close(): Promise<void> {
    for (const c of this.#connections) c.hangUp();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const index = this.#connections.length;
    const fromGuest: Uint8Array[] = [];
    let open = true;
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    const log = (s: string): void => void this.#log.push(`[conn ${index} ${new Date().toISOString().slice(11, 23)}] ${s}`);
    const wire = new MeterWire(this.#chip, this.meter, (bytes) => open && socket.write(bytes), log);
    const conn: MeterConnection = {
      index,
      fromGuest,
      closed,
      hangUp: () => {
        if (!open) return;
        open = false;
        log('meter hangs up');
        socket.destroy();
      },
    };
    socket.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk);
      fromGuest.push(bytes);
      wire.fromAdapter(bytes);
    });
    socket.on('error', (e) => log(`socket error ${e.message}`));
    socket.on('close', () => {
      if (open) log('QEMU hung up');
      open = false;
      wire.close();
      closedResolve();
    });
    this.#connections.push(conn);
    log('QEMU connected: adapter plugged in');
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) w(conn);
  }
}
