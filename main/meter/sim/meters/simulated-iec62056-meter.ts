import { BAUD_CHARS, dataBlock, SOH } from '../../protocols/iec62056-21/iec-messages.js';
import { utcToCentralEuropean } from '../../protocols/meter-time.js';
import { sameLine, type LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { fixed } from './dsmr-telegram-builder.js';
import { Household } from './household-day.js';
import { systemClock, type SimClock } from './sim-clock.js';

export const IEC_SIGN_ON_LINE: LineSettings = { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 };

export interface SimulatedIecOptions {
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly meterClock?: SimClock;
  /** Baud character offered in the identification ('5' = 9600). */
  readonly baudChar?: string;
  readonly serial?: string;
  /** Device address the meter answers besides the empty one. */
  readonly address?: string;
  /** §6.3.14: the meter switches speed ≥ 200 ms after the option select. */
  readonly switchDelayMs?: number;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const latin1 = new TextDecoder('latin1');

/**
 * An IEC 62056-21 mode C meter on an optical head: listens at 300 7E1, identifies itself, and
 * after the option select answers a readout (mode 0) at the offered speed, or enters programming
 * mode (mode 1) where "R5 P.01(…)" returns the 15-minute load profile. Unknown R5 identifiers get
 * "(ERROR)" as real meters answer. After the exchange it falls back to 300 baud.
 */
export class SimulatedIec62056Meter implements SimulatedMeterLine {
  readonly household: Household;
  readonly serial: string;
  readonly baudChar: string;
  settings: LineSettings = IEC_SIGN_ON_LINE;
  readonly #clock: SimClock;
  readonly #meterClock: SimClock;
  readonly #o: SimulatedIecOptions;
  #host: WireHostSide | null = null;
  #rx = '';
  #state: 'idle' | 'identified' | 'programming' = 'idle';
  #timers = new Set<() => void>();
  /** Time of each completed readout (tests count them). */
  readonly readouts: number[] = [];

  constructor(options: SimulatedIecOptions = {}) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#meterClock = options.meterClock ?? this.#clock;
    this.baudChar = options.baudChar ?? '5';
    this.serial = options.serial ?? '71234567';
    this.household = new Household({ seed: options.seed ?? 13 });
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#idle();
  }

  detach(): void {
    this.#host = null;
    for (const c of this.#timers) c();
    this.#timers.clear();
    this.#idle();
  }

  #idle(): void {
    this.#state = 'idle';
    this.#rx = '';
    this.settings = IEC_SIGN_ON_LINE;
  }

  #later(ms: number, fn: () => void): void {
    const cancel = this.#clock.after(ms, () => {
      this.#timers.delete(cancel);
      fn();
    });
    this.#timers.add(cancel);
  }

  #send(bytes: Uint8Array | string): void {
    this.#host?.fromMeter(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, this.settings);
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    if (!sameLine(sentWith, this.settings)) {
      this.#rx = '';
      return;
    }
    this.#rx += latin1.decode(bytes.map((b) => b & 0x7f));
    if (this.#rx.length > 512) this.#rx = this.#rx.slice(-512);
    this.#process();
  }

  #process(): void {
    for (;;) {
      const signOn = /\/\?([0-9A-Za-z ]*)!\r\n/.exec(this.#rx);
      if (signOn) {
        this.#rx = this.#rx.slice(signOn.index + signOn[0].length);
        const addr = signOn[1]!;
        if (addr === '' || addr === (this.#o.address ?? '')) {
          this.#state = 'identified';
          this.#settings300();
          this.#later(200, () => this.#send(`/WAT${this.baudChar}WATTLET-SIM\\${this.serial}\r\n`));
        }
        continue;
      }
      const opt = /\x06([0-9])([0-9])([0-9])\r\n/.exec(this.#rx);
      if (opt && this.#state === 'identified') {
        this.#rx = this.#rx.slice(opt.index + opt[0].length);
        const baud = BAUD_CHARS[opt[2]!] ?? 300;
        const mode = opt[3]!;
        this.#later(this.#o.switchDelayMs ?? 300, () => {
          this.settings = { ...IEC_SIGN_ON_LINE, baudRate: baud };
          if (mode === '1') {
            this.#state = 'programming';
            this.#send(this.#cmd('P0', `(${this.serial})`));
          } else {
            this.#send(dataBlock(this.readout()));
            this.readouts.push(this.#clock.now());
            this.#later(50, () => this.#idle());
          }
        });
        continue;
      }
      if (this.#state === 'programming') {
        const soh = this.#rx.indexOf('\x01');
        const etx = soh >= 0 ? this.#rx.indexOf('\x03', soh) : -1;
        if (soh >= 0 && etx >= 0 && this.#rx.length > etx + 1) {
          const msg = this.#rx.slice(soh + 1, etx);
          this.#rx = this.#rx.slice(etx + 2);
          if (msg.startsWith('B0')) {
            this.#idle();
          } else if (msg.startsWith('R5\x02P.01')) {
            this.#send(dataBlock(this.loadProfile()));
          } else if (msg.startsWith('R5') || msg.startsWith('R1')) {
            this.#send(dataBlock('(ERROR)'));
          } else this.#send(Uint8Array.of(0x15)); // NAK
          continue;
        }
      }
      return;
    }
  }

  #settings300(): void {
    this.settings = IEC_SIGN_ON_LINE;
  }

  #cmd(cd: string, body: string): Uint8Array {
    const b = new TextEncoder().encode(`${cd}\x02${body}\x03`);
    const out = new Uint8Array(b.length + 2);
    out[0] = SOH;
    out.set(b, 1);
    let x = 0;
    for (let k = 1; k <= b.length; k++) x ^= out[k]!;
    out[b.length + 1] = x;
    return out;
  }

  /** The readout's data lines, "!" terminated (§6.5). */
  readout(): string {
    const s = this.household.at(this.#clock.now());
    const t = utcToCentralEuropean(this.#meterClock.now());
    const lines = [
      `0.0.0(${this.serial})`,
      `0.9.1(${p2(t.h)}${p2(t.mi)}${p2(t.s)})`,
      `0.9.2(${p2(t.y % 100)}${p2(t.mo)}${p2(t.d)})`,
      `1.8.0(${fixed(s.import1Wh + s.import2Wh, 6)}*kWh)`,
      `1.8.1(${fixed(s.import1Wh, 6)}*kWh)`,
      `1.8.2(${fixed(s.import2Wh, 6)}*kWh)`,
      `2.8.0(${fixed(s.export1Wh + s.export2Wh, 6)}*kWh)`,
      `1.7.0(${fixed(s.importW, 2)}*kW)`,
      `2.7.0(${fixed(s.exportW, 2)}*kW)`,
      `32.7.0(${fixed(s.voltageMv[0], 3, 1)}*V)`,
      `31.7.0(${fixed(s.currentMa[0], 3, 2)}*A)`,
      'F.F(00000000)',
    ];
    return `${lines.join('\r\n')}\r\n!\r\n`;
  }

  /** P.01: the last 8 quarter-hours of import and export demand (kW averages). */
  loadProfile(): string {
    const now = this.#clock.now();
    const end = Math.floor(now / 900_000) * 900_000;
    const start = end - 8 * 900_000;
    const t = utcToCentralEuropean(start);
    const lines = [`P.01(1${p2(t.y % 100)}${p2(t.mo)}${p2(t.d)}${p2(t.h)}${p2(t.mi)})(00)(15)(2)(1.5.0)(kW)(2.5.0)(kW)`];
    for (let k = 1; k <= 8; k++) {
      const p = this.household.netPowerW(start + k * 900_000 - 450_000);
      lines.push(`(${fixed(p > 0 ? p : 0, 2)})(${fixed(p < 0 ? -p : 0, 2)})`);
    }
    return `${lines.join('\r\n')}\r\n`;
  }
}
