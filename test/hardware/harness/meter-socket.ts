import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';
import { nominalBaud, uartReceive } from '../../../main/meter/sim/adapters/uart-wire.js';
import type { ChipLineTracker } from './trace.js';

/** QEMU's FTDI model powers up at 9600 8N1 (hw/usb/dev-serial.c usb_serial_reset). */
const CHIP_DEFAULT: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

/**
 * How long the meter's bytes wait for the chip to reach the meter's settings before they are
 * put on the wire anyway (and garbled by the mismatch). IEC 62056-21 gives the host at least
 * 200 ms after its option select; QEMU has no baud timing, so this stands in for it.
 */
const SETTINGS_GRACE_MS = 3000;

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

function sameLine(a: LineSettings, b: LineSettings): boolean {
  return a.baudRate === b.baudRate && a.dataBits === b.dataBits && a.parity === b.parity && a.stopBits === b.stopBits;
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
 * The host end of the adapter's serial side. QEMU dials this Unix socket; each connection is
 * one plug-in of the FTDI adapter. The simulated meter talks through a wire that knows what
 * the emulated chip was set to (from QEMU's trace, not from our driver): bytes pass unharmed
 * only when the chip and the meter agree on speed and format, otherwise the project's UART
 * model garbles them as a real line would.
 */
export class MeterSocket {
  readonly #server: Server;
  readonly #connections: MeterConnection[] = [];
  readonly #waiters: ((c: MeterConnection) => void)[] = [];
  readonly #log: string[] = [];

  private constructor(
    readonly path: string,
    readonly meter: SimulatedMeterLine,
    readonly tracker: ChipLineTracker,
  ) {
    this.#server = createServer((s) => this.#accept(s));
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
    let queue = Promise.resolve();
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    const log = (s: string): void => void this.#log.push(`[conn ${index} ${new Date().toISOString().slice(11, 23)}] ${s}`);

    const host: WireHostSide = {
      fromMeter: (bytes, sentWith) => {
        const copy = bytes.slice();
        // Keep the meter's bytes in order even while one chunk waits for the chip to switch.
        queue = queue.then(async () => {
          const deadline = Date.now() + SETTINGS_GRACE_MS;
          while (open && !sameLine(chipLineSettings(this.tracker), sentWith) && Date.now() < deadline) {
            await this.tracker.changed(deadline - Date.now());
          }
          if (!open) return;
          const chip = chipLineSettings(this.tracker);
          const wire = sameLine(chip, sentWith)
            ? copy
            : Uint8Array.from(uartReceive(copy, sentWith, chip), (c) => c.value);
          if (!sameLine(chip, sentWith)) log(`meter sent ${copy.length} B at ${fmt(sentWith)}, chip at ${fmt(chip)}: garbled`);
          socket.write(wire);
        });
      },
    };
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
      // Bytes belong to the chip settings in effect when they arrive. QEMU has no bit timing: it
      // hands OUT data to the socket as soon as the guest sends it, before any later speed
      // change — so an option select followed at once by SET_BAUD_RATE counts as sent at the old
      // speed here, though a real chip might still be shifting it out (see README).
      if (open) this.meter.toMeter(bytes, chipLineSettings(this.tracker));
    });
    socket.on('error', (e) => log(`socket error ${e.message}`));
    socket.on('close', () => {
      if (open) log('QEMU hung up');
      open = false;
      this.meter.detach();
      closedResolve();
    });
    this.#connections.push(conn);
    log('QEMU connected: adapter plugged in');
    this.meter.attach(host);
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) w(conn);
  }
}

function fmt(s: LineSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}`;
}
