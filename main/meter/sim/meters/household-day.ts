import { noiseAt } from './seeded-random.js';

/**
 * A household's electricity over the day, deterministic per seed: a base load, a morning peak
 * (07–09) and a larger evening peak (18–22), a rooftop PV array that exports around noon, and
 * per-minute noise. Registers integrate the net power and only ever go up.
 */
export interface HouseholdOptions {
  readonly seed: number;
  /** PV peak in W (0 = no solar). */
  readonly solarPeakW?: number;
  readonly baseLoadW?: number;
  /** Starting registers (Wh): import and export, tariff 1 (low) and 2 (normal). */
  readonly startWh?: { import1: number; import2: number; export1: number; export2: number };
  /** Hours of local time offset from UTC for the daily shape (CET 1, CST 8). */
  readonly utcOffsetHours?: number;
  readonly startGasDm3?: number;
}

export interface HouseholdState {
  readonly at: number;
  /** Net import (≥ 0) and export (≥ 0) in W; one of them is 0. */
  readonly importW: number;
  readonly exportW: number;
  readonly import1Wh: number;
  readonly import2Wh: number;
  readonly export1Wh: number;
  readonly export2Wh: number;
  /** 1 = low tariff (night, weekend), 2 = normal (DSMR convention). */
  readonly tariff: 1 | 2;
  /** Per-phase voltage (mV) and current (mA); the load sits on L1 in single-phase homes. */
  readonly voltageMv: readonly [number, number, number];
  readonly currentMa: readonly [number, number, number];
  readonly gasDm3: number;
}

const gauss = (x: number, mu: number, sigma: number): number => Math.exp(-((x - mu) ** 2) / (2 * sigma * sigma));

export class Household {
  readonly #o: Required<Omit<HouseholdOptions, 'startWh'>> & { startWh: NonNullable<HouseholdOptions['startWh']> };
  #at = -1;
  /** Registers in milli-Wh, integers, so integration loses nothing and never goes down. */
  #mwh = [0, 0, 0, 0];
  #gasMilli = 0;

  constructor(options: HouseholdOptions) {
    this.#o = {
      seed: options.seed,
      solarPeakW: options.solarPeakW ?? 3600,
      baseLoadW: options.baseLoadW ?? 220,
      startWh: options.startWh ?? { import1: 4_215_310, import2: 3_877_120, export1: 801_220, export2: 1_204_550 },
      utcOffsetHours: options.utcOffsetHours ?? 1,
      startGasDm3: options.startGasDm3 ?? 5_120_440,
    };
    const s = this.#o.startWh;
    this.#mwh = [s.import1 * 1000, s.import2 * 1000, s.export1 * 1000, s.export2 * 1000];
    this.#gasMilli = this.#o.startGasDm3 * 1000;
  }

  /** Signed net power in W at time t (positive = import). */
  netPowerW(t: number): number {
    const o = this.#o;
    const local = t + o.utcOffsetHours * 3_600_000;
    const hour = (((local / 3_600_000) % 24) + 24) % 24;
    const day = Math.floor(local / 86_400_000);
    const minute = Math.floor(local / 60_000);
    const n = noiseAt(o.seed, minute);
    const load =
      o.baseLoadW + 1400 * gauss(hour, 7.75, 0.6) + 2300 * gauss(hour, 19.25, 1.2) + 500 * gauss(hour, 12.5, 1) + 400 * n;
    // Cloud cover varies per day and per minute.
    const clouds = 0.55 + 0.45 * noiseAt(o.seed ^ 0x5a5a, day);
    const solar = hour > 6 && hour < 20 ? o.solarPeakW * clouds * gauss(hour, 13, 2.4) * (0.85 + 0.15 * noiseAt(o.seed ^ 0xa5, minute)) : 0;
    return Math.round(load - solar);
  }

  tariffAt(t: number): 1 | 2 {
    const local = new Date(t + this.#o.utcOffsetHours * 3_600_000);
    const h = local.getUTCHours();
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    return weekend || h < 7 || h >= 23 ? 1 : 2;
  }

  /** Integrate up to `t` (never backwards) and report. */
  at(t: number): HouseholdState {
    if (this.#at < 0) this.#at = t;
    const STEP = 10_000;
    while (this.#at < t) {
      const dt = Math.min(STEP, t - this.#at);
      const p = this.netPowerW(this.#at);
      const tariff = this.tariffAt(this.#at);
      // W × ms / 3600 = milli-Wh
      const mwh = Math.round((Math.abs(p) * dt) / 3600);
      const reg = (p >= 0 ? 0 : 2) + (tariff - 1);
      this.#mwh[reg]! += mwh;
      const hour = ((((this.#at / 3_600_000 + this.#o.utcOffsetHours) % 24) + 24) % 24);
      // Gas: heating in the morning and evening, ~0.3 m3/h at peak.
      this.#gasMilli += Math.round((dt / 3_600_000) * 300_000 * (0.1 + gauss(hour, 7, 1.5) + gauss(hour, 20, 2)));
      this.#at += dt;
    }
    const p = this.netPowerW(t);
    const minute = Math.floor(t / 60_000);
    const v = (k: number) => 229_000 + Math.round(4000 * (noiseAt(this.#o.seed + k, minute) - 0.5));
    const voltageMv: [number, number, number] = [v(1), v(2), v(3)];
    const amps = Math.round((Math.abs(p) * 1_000_000) / voltageMv[0]);
    return {
      at: t,
      importW: p > 0 ? p : 0,
      exportW: p < 0 ? -p : 0,
      import1Wh: Math.floor(this.#mwh[0]! / 1000),
      import2Wh: Math.floor(this.#mwh[1]! / 1000),
      export1Wh: Math.floor(this.#mwh[2]! / 1000),
      export2Wh: Math.floor(this.#mwh[3]! / 1000),
      tariff: this.tariffAt(t),
      voltageMv,
      currentMa: [amps, 0, 0],
      gasDm3: Math.floor(this.#gasMilli / 1000),
    };
  }
}
