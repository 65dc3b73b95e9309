import { crcOk, exceptionResponse, FC_READ_INPUT, readInputResponse } from '../../protocols/modbus/modbus-rtu.js';
import { float32Registers, SDM_REGISTERS } from '../../protocols/modbus/sdm-registers.js';
import { sameLine, type LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { Household, type HouseholdState } from './household-day.js';
import { systemClock, type SimClock } from './sim-clock.js';

export const MODBUS_LINE: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

export interface SimulatedModbusOptions {
  readonly model?: 'sdm120' | 'sdm630';
  readonly slave?: number;
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly settings?: LineSettings;
  readonly replyDelayMs?: number;
}

/**
 * An Eastron SDM120/SDM630 on Modbus RTU: function 0x04 over its documented input registers
 * (float32, big-endian); a read that touches an undocumented register answers exception 02
 * (illegal data address), another function exception 01, as the meters do.
 */
export class SimulatedModbusMeter implements SimulatedMeterLine {
  readonly model: 'sdm120' | 'sdm630';
  readonly slave: number;
  readonly settings: LineSettings;
  readonly household: Household;
  readonly #clock: SimClock;
  readonly #delay: number;
  #host: WireHostSide | null = null;
  #rx: number[] = [];
  #pending = new Set<() => void>();

  constructor(options: SimulatedModbusOptions = {}) {
    this.model = options.model ?? 'sdm120';
    this.slave = options.slave ?? 1;
    this.settings = options.settings ?? MODBUS_LINE;
    this.#clock = options.clock ?? systemClock;
    this.#delay = options.replyDelayMs ?? 20;
    this.household = new Household({ seed: options.seed ?? 5 });
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
      this.#rx = [];
      return;
    }
    this.#rx.push(...bytes);
    // RTU frames are delimited by silence; the host writes each request in one go.
    while (this.#rx.length >= 8) {
      const buf = Uint8Array.from(this.#rx.slice(0, 8));
      if (!crcOk(buf, 0, 8)) {
        this.#rx.shift();
        continue;
      }
      this.#rx.splice(0, 8);
      this.#handle(buf);
    }
  }

  #reply(bytes: Uint8Array): void {
    const cancel = this.#clock.after(this.#delay, () => {
      this.#pending.delete(cancel);
      this.#host?.fromMeter(bytes, this.settings);
    });
    this.#pending.add(cancel);
  }

  #handle(req: Uint8Array): void {
    if (req[0] !== this.slave) return;
    const fc = req[1]!;
    if (fc !== FC_READ_INPUT) {
      this.#reply(exceptionResponse(this.slave, fc, 1));
      return;
    }
    const start = (req[2]! << 8) | req[3]!;
    const count = (req[4]! << 8) | req[5]!;
    const values = this.#registers(start, count, this.household.at(this.#clock.now()));
    this.#reply(values ? readInputResponse(this.slave, values) : exceptionResponse(this.slave, fc, 2));
  }

  #registers(start: number, count: number, s: HouseholdState): Uint8Array | null {
    if (count === 0 || count % 2 !== 0 || count > 80 || start % 2 !== 0) return null;
    const netW = s.importW - s.exportW;
    const vals: number[] = [];
    for (let a = start; a < start + count; a += 2) {
      const reg = SDM_REGISTERS.find((r) => r.address === a && r.models.includes(this.model));
      if (!reg) {
        // Inside a documented block SDM meters answer 0 for gaps; outside, exception 02.
        if (a < 0x0056 && a > start) {
          vals.push(0);
          continue;
        }
        return null;
      }
      switch (reg.obis) {
        case '32.7.0':
          vals.push(s.voltageMv[0] / 1000);
          break;
        case '52.7.0':
        case '72.7.0':
          vals.push(s.voltageMv[reg.obis === '52.7.0' ? 1 : 2] / 1000);
          break;
        case '31.7.0':
          vals.push(s.currentMa[0] / 1000);
          break;
        case '51.7.0':
        case '71.7.0':
          vals.push(0);
          break;
        case '16.7.0':
          vals.push(netW);
          break;
        case '14.7.0':
          vals.push(50.01);
          break;
        case '1.8.0':
          vals.push((s.import1Wh + s.import2Wh) / 1000);
          break;
        case '2.8.0':
          vals.push((s.export1Wh + s.export2Wh) / 1000);
          break;
      }
    }
    return float32Registers(vals);
  }
}
