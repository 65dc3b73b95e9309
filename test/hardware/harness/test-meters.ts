import { dataBlock, identification } from '../../../main/meter/protocols/iec62056-21/iec-messages.js';
import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { uartReceive } from '../../../main/meter/sim/adapters/uart-wire.js';
import { ManualClock } from '../../../main/meter/sim/meters/sim-clock.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';

export const IEC_SIGN_ON_LINE: LineSettings = { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 };
export const IEC_DATA_LINE: LineSettings = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const fixed = (milli: number, intDigits: number): string =>
  `${pad(Math.floor(milli / 1000), intDigits)}.${pad(milli % 1000, 3)}`;

/**
 * The project's simulated DSMR 5 meter, paced by the test: its clock only moves when the test
 * calls push(), which advances one telegram interval so the meter sends exactly one telegram
 * (every one with its own meter time and household values). push(cutAt) lets only the first
 * `cutAt` bytes reach the wire — the line dies mid-telegram.
 */
export class PacedDsmrMeter implements SimulatedMeterLine {
  readonly clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 20, 0));
  readonly meter = new SimulatedDsmrMeter({ version: '5.0', clock: this.clock, seed: 10 });
  /** Every telegram the meter produced, whole, and whether the wire got all of it. */
  readonly sent: { bytes: Uint8Array; torn: boolean; delivered: number }[] = [];
  #host: WireHostSide | null = null;
  #collect: Uint8Array[] | null = null;
  #budget = Infinity;

  attach(host: WireHostSide): void {
    this.#host = host;
    this.meter.attach({
      fromMeter: (bytes, sentWith) => {
        this.#collect?.push(bytes.slice());
        const pass = bytes.subarray(0, Math.max(0, Math.min(bytes.length, this.#budget)));
        this.#budget -= pass.length;
        if (pass.length > 0) this.#host?.fromMeter(pass, sentWith);
      },
    });
  }

  push(cutAt?: number): void {
    if (!this.#host) throw new Error('meter not attached');
    this.#collect = [];
    this.#budget = cutAt ?? Infinity;
    this.clock.advance(this.meter.intervalMs);
    const parts = this.#collect;
    this.#collect = null;
    this.#budget = Infinity;
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    if (bytes.length === 0) throw new Error('the simulated DSMR meter sent nothing in one interval');
    this.sent.push({ bytes, torn: cutAt !== undefined, delivered: Math.min(bytes.length, cutAt ?? Infinity) });
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.meter.toMeter(bytes, sentWith);
  }

  detach(): void {
    this.#host = null;
    this.meter.detach();
  }
}

export interface IecReadoutValues {
  readonly meterNumber: string;
  readonly importWh: number;
  readonly exportWh: number;
  readonly body: string;
}

/**
 * An IEC 62056-21 mode C meter: listens at 300 7E1, answers "/?!" with its identification
 * (offering 9600), accepts "ACK 0 5 0" (readout at 9600) and, after the ≥ 200 ms the standard
 * requires (§6.3.14), sends its data block at 9600 7E1. What the host sends is read through the
 * project's UART model at the meter's own settings, so a wrong speed or format is not heard.
 */
export class IecTestMeter implements SimulatedMeterLine {
  readonly heard: { text: string; sentWith: LineSettings }[] = [];
  readonly values: IecReadoutValues;
  state: 'idle' | 'identified' | 'sent-data' = 'idle';
  #host: WireHostSide | null = null;
  #rx = '';
  #line: LineSettings = IEC_SIGN_ON_LINE;
  #timer: NodeJS.Timeout | null = null;

  constructor() {
    const importWh = 4_711_042;
    const exportWh = 815_007;
    const meterNumber = '31415926';
    const body =
      `0.0.0(${meterNumber})\r\n` +
      `1.8.0(${fixed(importWh, 6)}*kWh)\r\n` +
      `2.8.0(${fixed(exportWh, 6)}*kWh)\r\n` +
      'F.F(00000000)\r\n' +
      '!\r\n';
    this.values = { meterNumber, importWh, exportWh, body };
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#line = IEC_SIGN_ON_LINE;
    this.#rx = '';
    this.state = 'idle';
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    const heard = uartReceive(bytes, sentWith, this.#line);
    const text = String.fromCharCode(...heard.filter((c) => !c.framing && !c.parity).map((c) => c.value & 0x7f));
    this.heard.push({ text, sentWith });
    this.#rx += text;
    if (this.state === 'idle' && this.#rx.includes('/?!\r\n')) {
      this.#rx = '';
      this.state = 'identified';
      this.#host?.fromMeter(identification({ manufacturer: 'WAT', baudChar: '5', baud: 9600, ident: 'QEMU-IEC-1' }), this.#line);
    } else if (this.state === 'identified' && this.#rx.includes('\x06050\r\n')) {
      this.#rx = '';
      this.#line = IEC_DATA_LINE;
      this.state = 'sent-data';
      this.#timer = setTimeout(() => this.#host?.fromMeter(dataBlock(this.values.body), IEC_DATA_LINE), 300);
    }
  }

  detach(): void {
    this.#host = null;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
