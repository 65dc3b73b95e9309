import { seededRandom } from '../../meter/sim/meters/seeded-random.js';
import { dayStart, INTERVAL_SECONDS, INTERVALS_PER_DAY } from '../day.js';
import type { MeterInterval } from '../verify/compare-readings.js';

/**
 * Where 15-minute intervals come from: the household's history store, or (for the demo
 * operator) the simulated meter. The composition root wires the real one; intervals are whole
 * Wh, ordered, 96 per closed day.
 */
export interface ReadingSource {
  intervals(meterId: string, day: number): Promise<MeterInterval[]>;
}

/**
 * A plausible household with rooftop solar, for tests and for demo mode until the history store
 * is wired: base load with morning and evening peaks, a PV bell curve that follows the season,
 * export when PV exceeds load. Deterministic per (seed, meter, day).
 */
export function syntheticReadingSource(seed = 7): ReadingSource {
  return {
    async intervals(meterId, day) {
      const r = seededRandom(seed ^ day ^ Number.parseInt(meterId.slice(2, 10) || '0', 16));
      const season = Math.cos(((day % 365) / 365) * 2 * Math.PI); // +1 around new year
      const out: MeterInterval[] = [];
      for (let i = 0; i < INTERVALS_PER_DAY; i++) {
        const hour = (i * INTERVAL_SECONDS) / 3600;
        const peaks = 120 * Math.exp(-((hour - 7.5) ** 2) / 2) + 220 * Math.exp(-((hour - 19) ** 2) / 3);
        const load = 60 + peaks + 40 * r();
        const daylight = Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
        const pv = (400 - 180 * season) * daylight * (0.7 + 0.3 * r());
        const net = Math.round(load - pv);
        out.push({
          start: dayStart(day) + i * INTERVAL_SECONDS,
          seconds: INTERVAL_SECONDS,
          importWh: BigInt(Math.max(0, net)),
          exportWh: BigInt(Math.max(0, -net)),
        });
      }
      return out;
    },
  };
}
