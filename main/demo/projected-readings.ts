import { dayStart, INTERVAL_SECONDS, INTERVALS_PER_DAY } from '../ledger/day.js';
import type { ReadingSource } from '../ledger/operator/reading-source.js';
import type { MeterInterval } from '../ledger/verify/compare-readings.js';
import { Household } from '../meter/sim/meters/household-day.js';
import { DEMO_SEED } from './demo-history.js';

/**
 * The demo household's intervals as its simulated meter will read them: the same deterministic
 * model (seed, solar curve, noise) integrated over each quarter hour. What the demo operator
 * anchors for quarters that lie ahead of the wall clock once the demo chain's clock has been
 * moved past them: the meter's readings for them do not exist yet, and the operator stands for
 * a utility that has them.
 */
export function projectedDay(day: number): MeterInterval[] {
  const h = new Household({ seed: DEMO_SEED });
  const start = dayStart(day);
  let prev = h.at(start * 1000);
  const out: MeterInterval[] = [];
  for (let i = 0; i < INTERVALS_PER_DAY; i++) {
    const t = start + (i + 1) * INTERVAL_SECONDS;
    const next = h.at(t * 1000);
    out.push({
      start: t - INTERVAL_SECONDS,
      seconds: INTERVAL_SECONDS,
      importWh: BigInt(next.import1Wh + next.import2Wh - prev.import1Wh - prev.import2Wh),
      exportWh: BigInt(next.export1Wh + next.export2Wh - prev.export1Wh - prev.export2Wh),
    });
    prev = next;
  }
  return out;
}

/**
 * The household's readings as the demo operator reads them: the history's for every quarter it
 * has, and from the quarter under way on (the wall clock's), the simulated meter's projection.
 * Quarters the history lacks in the past stay missing (an outage is an outage).
 */
export function demoReadingSource(history: ReadingSource, wallNow: () => number): ReadingSource {
  return {
    async intervals(meterId, day) {
      const own = await history.intervals(meterId, day);
      const from = Math.floor(wallNow() / 1000 / INTERVAL_SECONDS) * INTERVAL_SECONDS;
      if (dayStart(day + 1) <= from) return own;
      const have = new Set(own.map((i) => i.start));
      const ahead = projectedDay(day).filter((i) => i.start >= from && !have.has(i.start));
      return [...own, ...ahead].sort((a, b) => a.start - b.start);
    },
  };
}
