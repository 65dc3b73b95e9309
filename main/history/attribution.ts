import type { LocalCalendar } from './calendar.js';
import { BucketList, type BucketSums } from './bucket-sums.js';
import { levels } from './levels.js';
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
  const out = { importWh: 0, exportWh: 0, discontinuity: null as Discontinuity | null };
  deltaInto(prev, cur, rules, out);
  return out;
}

/** pairDelta into a caller's object: the ingest loop reuses one instead of allocating per pair. */
function deltaInto(prev: Sample, cur: Sample, rules: AttributionRules, out: { importWh: number; exportWh: number; discontinuity: Discontinuity | null }): void {
  // Wh possible at maxPowerW over dt, rounded up: integer arithmetic on ms·W.
  const maxWh = Math.ceil((rules.maxPowerW * (cur.ts - prev.ts)) / 3_600_000);
  const i = registerDelta(prev.importWh, cur.importWh, maxWh);
  const e = registerDelta(prev.exportWh, cur.exportWh, maxWh);
  if (i === JUMP || e === JUMP) {
    out.importWh = 0;
    out.exportWh = 0;
    out.discontinuity = 'jump';
    return;
  }
  out.importWh = Math.abs(i);
  out.exportWh = Math.abs(e);
  out.discontinuity = i < 0 || e < 0 ? 'reset' : null;
}

const JUMP = Number.MIN_SAFE_INTEGER;

/** Wh between two register values; negative = counted from zero after a reset; JUMP = impossible. */
function registerDelta(a: number | null, b: number | null, maxWh: number): number {
  if (a === null || b === null) return 0;
  const diff = b - a;
  if (diff >= 0) return diff <= maxWh ? diff : JUMP;
  if (b > maxWh) return JUMP;
  return b === 0 ? 0 : -b;
}

export type { BucketSums } from './bucket-sums.js';

/**
 * Per-level sums keyed by bucket start; flushed to SQLite once per batch. Levels are addressed
 * by index (0 = minute … 4 = month) in arrays: this runs once per reading and per level.
 */
export class RollupAccumulator {
  readonly byLevel: BucketList[] = levels.map(() => new BucketList());
  /**
   * The minute being filled, [hotStart, hotEnd), and the sums of every level's bucket
   * containing it (the hot path). Reused, not reallocated, at each minute; empty when
   * hotEnd is NaN.
   */
  hotStart = NaN;
  hotEnd = NaN;
  readonly hotSums: BucketSums[] = [];
  readonly #lastKey: number[] = levels.map(() => NaN);
  readonly #lastSums: Array<BucketSums | null> = levels.map(() => null);
  hadNegative = false;

  bucket(levelIndex: number, start: number): BucketSums {
    if (this.#lastKey[levelIndex] === start) return this.#lastSums[levelIndex]!;
    const sums = this.byLevel[levelIndex]!.get(start);
    this.#lastKey[levelIndex] = start;
    this.#lastSums[levelIndex] = sums;
    return sums;
  }

  get size(): number {
    let n = 0;
    for (const m of this.byLevel) n += m.size;
    return n;
  }

  clear(): void {
    for (const m of this.byLevel) m.clear();
    this.#lastKey.fill(NaN);
    this.#lastSums.fill(null);
    this.hadNegative = false;
    this.hotStart = NaN;
    this.hotEnd = NaN;
    this.hotSums.length = 0;
  }
}

const scratch = { importWh: 0, exportWh: 0, discontinuity: null as Discontinuity | null };

/** Adds (sign +1) or removes (sign −1) one pair's contribution at every level; says if it was a discontinuity. */
export function attributePair(
  cal: LocalCalendar,
  acc: RollupAccumulator,
  prev: Sample,
  cur: Sample,
  sign: 1 | -1,
  rules: AttributionRules,
): Discontinuity | null {
  const d = scratch;
  deltaInto(prev, cur, rules, d);
  const dt = cur.ts - prev.ts;
  const covered = d.discontinuity !== 'jump';
  if (sign < 0) acc.hadNegative = true;
  // Most pairs lie inside one minute, hence inside one bucket of every level (coarser
  // boundaries are minute boundaries): add to the cached buckets without any lookup.
  if (prev.ts >= acc.hotStart && cur.ts <= acc.hotEnd && covered) {
    const sums = acc.hotSums;
    for (let li = 0; li < sums.length; li++) {
      const b = sums[li]!;
      b.importWh += sign * d.importWh;
      b.exportWh += sign * d.exportWh;
      b.samples += sign;
      b.coveredMs += sign * dt;
    }
    return d.discontinuity;
  }
  for (let li = 0; li < levels.length; li++) {
    const endBucket = cal.bucketStartAt(li, cur.ts - 1);
    const end = acc.bucket(li, endBucket);
    end.importWh += sign * d.importWh;
    end.exportWh += sign * d.exportWh;
    end.samples += sign;
    if (!covered) continue;
    const startBucket = cal.bucketStartAt(li, prev.ts);
    if (startBucket === endBucket) {
      end.coveredMs += sign * dt;
    } else if (dt <= rules.gapMs) {
      for (let b = startBucket; b <= endBucket; ) {
        const next = cal.nextBucketAt(li, b);
        const overlap = Math.min(next, cur.ts) - Math.max(b, prev.ts);
        if (overlap > 0) acc.bucket(li, b).coveredMs += sign * overlap;
        b = next;
      }
    }
  }
  const minute = cal.bucketStartAt(0, cur.ts - 1);
  acc.hotStart = minute;
  acc.hotEnd = cal.nextBucketAt(0, minute);
  for (let li = 0; li < levels.length; li++) acc.hotSums[li] = acc.bucket(li, cal.bucketStartAt(li, minute));
  return d.discontinuity;
}
