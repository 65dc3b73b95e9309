import type { LocalCalendar } from './calendar.js';
import { levels, type Level } from './levels.js';
import type { Sample } from './sample.js';

/**
 * How consecutive readings of one meter become interval energy. Pure: the incremental store and
 * the from-raw recomputation both call this, which is what makes "roll-ups equal a
 * recomputation" checkable.
 *
 * Rules (each a deliberate choice, none interpolates):
 * - A pair (prev → cur) carries cur − prev of each cumulative register, booked to the bucket
 *   containing cur.ts − 1 ms (the energy happened before `cur`, so a reading on a boundary
 *   closes the bucket it ends).
 * - A register that goes down is a counter reset: the new value is energy since zero, if that is
 *   physically possible in the elapsed time; a change beyond `maxPowerW` over the elapsed time
 *   (either way) is a discontinuity (meter swapped under the same id): it counts 0 Wh and the
 *   pair is a gap — a new meter never shows as negative or absurd consumption.
 * - Coverage: a pair inside one bucket covers its duration there. A pair spanning buckets
 *   covers its exact overlap with each if it is no longer than `gapMs`; a longer pair is a gap
 *   (coverage 0) whose energy is still booked, at its end — totals stay exact, the chart shows
 *   the gap.
 */
export interface AttributionRules {
  readonly gapMs: number;
  readonly maxPowerW: number;
}

export const defaultRules: AttributionRules = { gapMs: 5 * 60_000, maxPowerW: 100_000 };

export type Discontinuity = 'reset' | 'jump';

export interface PairDelta {
  readonly importWh: number;
  readonly exportWh: number;
  readonly discontinuity: Discontinuity | null;
}

export function pairDelta(prev: Sample, cur: Sample, rules: AttributionRules): PairDelta {
  const dt = cur.ts - prev.ts;
  // Wh possible at maxPowerW over dt, rounded up: integer arithmetic on ms·W.
  const maxWh = Math.ceil((rules.maxPowerW * dt) / 3_600_000);
  const one = (a: number | null, b: number | null): { wh: number; d: Discontinuity | null } => {
    if (a === null || b === null) return { wh: 0, d: null };
    const diff = b - a;
    if (diff >= 0) return diff <= maxWh ? { wh: diff, d: null } : { wh: 0, d: 'jump' };
    return b <= maxWh ? { wh: b, d: 'reset' } : { wh: 0, d: 'jump' };
  };
  const i = one(prev.importWh, cur.importWh);
  const e = one(prev.exportWh, cur.exportWh);
  const discontinuity = i.d === 'jump' || e.d === 'jump' ? 'jump' : (i.d ?? e.d);
  return discontinuity === 'jump'
    ? { importWh: 0, exportWh: 0, discontinuity }
    : { importWh: i.wh, exportWh: e.wh, discontinuity };
}

/** One roll-up bucket being accumulated (signed: a late reading subtracts the pair it splits). */
export interface BucketSums {
  importWh: number;
  exportWh: number;
  coveredMs: number;
  samples: number;
}

/** Per-level sums keyed by bucket start; flushed to SQLite once per batch. */
export class RollupAccumulator {
  readonly byLevel = new Map<Level, Map<number, BucketSums>>(levels.map((l) => [l, new Map()]));
  #lastKey = new Map<Level, number>();
  #lastSums = new Map<Level, BucketSums>();
  hadNegative = false;

  bucket(level: Level, start: number): BucketSums {
    if (this.#lastKey.get(level) === start) return this.#lastSums.get(level)!;
    const map = this.byLevel.get(level)!;
    let sums = map.get(start);
    if (!sums) {
      sums = { importWh: 0, exportWh: 0, coveredMs: 0, samples: 0 };
      map.set(start, sums);
    }
    this.#lastKey.set(level, start);
    this.#lastSums.set(level, sums);
    return sums;
  }

  get size(): number {
    let n = 0;
    for (const m of this.byLevel.values()) n += m.size;
    return n;
  }

  clear(): void {
    for (const m of this.byLevel.values()) m.clear();
    this.#lastKey.clear();
    this.#lastSums.clear();
    this.hadNegative = false;
  }
}

/** Adds (sign +1) or removes (sign −1) one pair's contribution at every level. */
export function attributePair(
  cal: LocalCalendar,
  acc: RollupAccumulator,
  prev: Sample,
  cur: Sample,
  sign: 1 | -1,
  rules: AttributionRules,
): PairDelta {
  const d = pairDelta(prev, cur, rules);
  const dt = cur.ts - prev.ts;
  const covered = d.discontinuity !== 'jump';
  if (sign < 0) acc.hadNegative = true;
  for (const level of levels) {
    const endBucket = cal.bucketStart(level, cur.ts - 1);
    const end = acc.bucket(level, endBucket);
    end.importWh += sign * d.importWh;
    end.exportWh += sign * d.exportWh;
    end.samples += sign;
    if (!covered) continue;
    const startBucket = cal.bucketStart(level, prev.ts);
    if (startBucket === endBucket) {
      end.coveredMs += sign * dt;
    } else if (dt <= rules.gapMs) {
      for (let b = startBucket; b <= endBucket; ) {
        const next = cal.nextBucket(level, b);
        const overlap = Math.min(next, cur.ts) - Math.max(b, prev.ts);
        if (overlap > 0) acc.bucket(level, b).coveredMs += sign * overlap;
        b = next;
      }
    }
  }
  return d;
}
