import { DI_ADDRESS, DI_DATE, DI_TIME, DLT645_DATA_IDS, encodeBcd } from '../../protocols/dlt645/dlt645-data.js';
import {
  addressToBytes,
  DLT645_BROADCAST,
  DltFunction,
  encodeDltFrame,
  parseDltFrame,
  probeDltFrame,
} from '../../protocols/dlt645/dlt645-frame.js';
import { utcToChina } from '../../protocols/meter-time.js';
import { sameLine, type LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { Household, type HouseholdState } from './household-day.js';
import { systemClock, type SimClock } from './sim-clock.js';

export const DLT645_LINE: LineSettings = { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 };

export interface SimulatedDlt645Options {
  readonly address?: string;
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly meterClock?: SimClock;
  /** Reply delay (DL/T 645 §: the meter answers within 20–500 ms). */
  readonly replyDelayMs?: number;
  readonly settings?: LineSettings;
}

const bcd2 = (n: number) => ((Math.floor(n / 10) << 4) | n % 10) & 0xff;

/**
 * A single-phase State Grid meter on RS-485: answers read-address (broadcast), read-data for
 * the identifiers in DLT645_DATA_IDS plus date, time and address, and an abnormal reply with
 * ERR "no data requested" (0x02) for anything else. Frames not addressed to it are ignored.
 */
export class SimulatedDlt645Meter implements SimulatedMeterLine {
  readonly address: string;
  readonly settings: LineSettings;
  readonly household: Household;
  readonly #clock: SimClock;
  readonly #meterClock: SimClock;
  readonly #delay: number;
  #host: WireHostSide | null = null;
  #rx: number[] = [];
  #pending = new Set<() => void>();
  readonly requests: number[] = [];

  constructor(options: SimulatedDlt645Options = {}) {
    this.address = options.address ?? '000012345678';
    this.settings = options.settings ?? DLT645_LINE;
    this.#clock = options.clock ?? systemClock;
    this.#meterClock = options.meterClock ?? this.#clock;
    this.#delay = options.replyDelayMs ?? 30;
    this.household = new Household({ seed: options.seed ?? 3, utcOffsetHours: 8, solarPeakW: 2800, startWh: { import1: 2_101_550, import2: 3_340_090, export1: 210_440, export2: 655_010 } });
  }

  attach(host: WireHostSide): void {
    this.#host = host;
  }

  detach(): void {
    this.#host = null;
    this.#rx = [];
    for (const c of this.#pending) c();
    this.#pending.clear();
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    if (!sameLine(sentWith, this.settings)) {
      this.#rx = []; // the meter's UART saw garbage; it resynchronises on the next 68
      return;
    }
    this.#rx.push(...bytes);
    if (this.#rx.length > 1024) this.#rx.splice(0, this.#rx.length - 1024);
    const buf = Uint8Array.from(this.#rx);
    let i = 0;
    while (i < buf.length) {
      const r = probeDltFrame(buf, i, buf.length);
      if (r === 0) break;
      if (r < 0) {
        i++;
        continue;
      }
      this.#handle(parseDltFrame(buf, i));
      i += r;
    }
    this.#rx = this.#rx.slice(i);
  }

  #reply(bytes: Uint8Array): void {
    const cancel = this.#clock.after(this.#delay, () => {
      this.#pending.delete(cancel);
      this.#host?.fromMeter(bytes, this.settings);
    });
    this.#pending.add(cancel);
  }

  #handle(f: { address: string; control: number; data: Uint8Array }): void {
    if (f.control & 0x80) return; // a reply from another meter on the bus
    const fn = f.control & 0x1f;
    const forMe = f.address === this.address || f.address === DLT645_BROADCAST;
    if (!forMe) return;
    this.requests.push(fn);
    if (fn === DltFunction.readAddress) {
      this.#reply(encodeDltFrame({ address: this.address, control: 0x80 | fn, data: addressToBytes(this.address) }, 4));
      return;
    }
    if (fn !== DltFunction.readData || f.data.length < 4) {
      this.#reply(encodeDltFrame({ address: this.address, control: 0xc0 | fn, data: Uint8Array.of(0x01) }, 4));
      return;
    }
    const di = (f.data[0]! | (f.data[1]! << 8) | (f.data[2]! << 16) | (f.data[3]! << 24)) >>> 0;
    const value = this.#value(di, this.household.at(this.#clock.now()));
    if (!value) {
      this.#reply(encodeDltFrame({ address: this.address, control: 0xc0 | fn, data: Uint8Array.of(0x02) }, 4));
      return;
    }
    const data = new Uint8Array(4 + value.length);
    data.set(f.data.subarray(0, 4));
    data.set(value, 4);
    this.#reply(encodeDltFrame({ address: this.address, control: 0x80 | fn, data }, 4));
  }

  #value(di: number, s: HouseholdState): Uint8Array | null {
    if (di === DI_DATE || di === DI_TIME) {
      const t = utcToChina(this.#meterClock.now());
      return di === DI_DATE
        ? Uint8Array.of(bcd2(t.weekday), bcd2(t.d), bcd2(t.mo), bcd2(t.y % 100))
        : Uint8Array.of(bcd2(t.s), bcd2(t.mi), bcd2(t.h));
    }
    if (di === DI_ADDRESS) return addressToBytes(this.address);
    const id = DLT645_DATA_IDS.get(di);
    if (!id) return null;
    // Tariffs 1..4 (尖峰平谷): the model's low tariff is 谷 (4), normal is 平 (3).
    const imp = [s.import1Wh + s.import2Wh, 0, 0, s.import2Wh, s.import1Wh];
    const exp = [s.export1Wh + s.export2Wh, 0, 0, s.export2Wh, s.export1Wh];
    const netW = s.importW - s.exportW;
    const parts: Uint8Array[] = [];
    for (const it of id.items) {
      let v: number;
      const m = /^([12])\.8\.(\d)$/.exec(it.obis);
      if (m) v = Math.floor((m[1] === '1' ? imp : exp)[Number(m[2])]! / 10); // Wh → 0.01 kWh
      else if (it.obis === '32.7.0') v = Math.round(s.voltageMv[0] / 100);
      else if (it.obis === '52.7.0' || it.obis === '72.7.0') v = 0;
      else if (it.obis === '31.7.0') v = s.currentMa[0] * (netW < 0 ? -1 : 1);
      else if (it.obis === '51.7.0' || it.obis === '71.7.0') v = 0;
      else v = netW * 10; // kW with 4 decimals: W × 10
      parts.push(encodeBcd(v, it.bytes, it.signed));
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
