import { fromHex } from '../../../common/hex.js';
import type { LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { Household, type HouseholdOptions } from './household-day.js';
import { systemClock, type SimClock } from './sim-clock.js';
import { buildSmlFile } from './sml-file-builder.js';

export const SML_LINE: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

export interface SimulatedSmlOptions {
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly intervalMs?: number;
  /** Server id as printed (hex); eHZ ids are 10 bytes, DIN 43863-5. */
  readonly serverIdHex?: string;
  readonly household?: Omit<HouseholdOptions, 'seed'>;
}

/** A German eHZ meter's optical info interface: an SML file every interval, push only. */
export class SimulatedSmlMeter implements SimulatedMeterLine {
  readonly settings = SML_LINE;
  readonly household: Household;
  readonly serverId: Uint8Array;
  readonly intervalMs: number;
  readonly #clock: SimClock;
  readonly #bootAt: number;
  #host: WireHostSide | null = null;
  #cancel: (() => void) | null = null;
  #seq = 0;

  constructor(options: SimulatedSmlOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#bootAt = this.#clock.now() - 31_536_000_000;
    this.intervalMs = options.intervalMs ?? 1000;
    const hex = options.serverIdHex ?? '0A01574154000123ABCD';
    this.serverId = fromHex(hex)!;
    this.household = new Household({ seed: options.seed ?? 11, ...options.household });
  }

  file(at = this.#clock.now()): Uint8Array {
    this.#seq = (this.#seq + 1) & 0xffff;
    return buildSmlFile(this.serverId, this.#seq, Math.floor((at - this.#bootAt) / 1000), this.household.at(at));
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#schedule();
  }

  #schedule(): void {
    this.#cancel?.();
    this.#cancel = this.#clock.after(this.intervalMs, () => {
      this.sendOnce();
      if (this.#host) this.#schedule();
    });
  }

  sendOnce(): void {
    this.#host?.fromMeter(this.file(), this.settings);
  }

  toMeter(): void {
    // The info interface only sends.
  }

  detach(): void {
    this.#host = null;
    this.#cancel?.();
    this.#cancel = null;
  }
}
