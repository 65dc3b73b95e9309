import type { LocalCalendar } from './calendar.js';
import { BucketList, type BucketSums } from './bucket-sums.js';
import { levels } from './levels.js';
import type { Sample } from './sample.js';

/**
 * How a pair of consecutive kept readings of one meter becomes interval energy. Pure: the
 * incremental store and the from-raw recomputation both call this (through the register chain,
 * register-chain.ts, which decides which readings are kept), which is what makes "roll-ups equal
 * a recomputation" checkable.
 *
 * Rules (each a deliberate choice, none interpolates):
 * - A pair (prev → cur) carries cur − prev of each cumulative register, booked to the bucket
 *   containing cur.ts − 1 ms (the energy happened before `cur`, so a reading on a boundary
 *   closes the bucket it ends).
 * - A register that goes down (a restart: the meter was swapped, or reset), or rises by more than
 *   `maxPowerW` allows over the elapsed time (a jump), breaks the pair: it counts 0 Wh and is a
 *   gap (coverage 0) — the energy of that interval is unknown, and is neither guessed nor shown
 *   as negative or absurd consumption. (A single outlier reading that breaks the register and is
 *   followed by readings continuing the earlier sequence never makes a pair: the chain skips it.)
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

/** 'swap': a register went down (the register restarted); 'jump': it rose beyond what is possible. */
export type Discontinuity = 'swap' | 'jump';

export interface PairDelta {
  importWh: number;
  exportWh: number;
  discontinuity: Discontinuity | null;
}

export function pairDelta(prev: Sample, cur: Sample, rules: AttributionRules): PairDelta {
  const out: PairDelta = { importWh: 0, exportWh: 0, discontinuity: null };
  pairDeltaInto(prev, cur, rules, out);
  return out;
}

/** pairDelta into a caller's object: the ingest loop reuses one instead of allocating per pair. */
export function pairDeltaInto(prev: Sample, cur: Sample, rules: AttributionRules, out: PairDelta): void {
  // Wh possible at maxPowerW over dt, rounded up: integer arithmetic on ms·W.
  const maxWh = Math.ceil((rules.maxPowerW * (cur.ts - prev.ts)) / 3_600_000);
  const i = registerDelta(prev.importWh, cur.importWh, maxWh);
  const e = registerDelta(prev.exportWh, cur.exportWh, maxWh);
  if (i >= 0 && e >= 0) {
    out.importWh = i;
    out.exportWh = e;
    out.discontinuity = null;
    return;
  }
  out.importWh = 0;
  out.exportWh = 0;
  out.discontinuity = i === DOWN || e === DOWN ? 'swap' : 'jump';
}

const DOWN = -1;
const JUMP = -2;

/** Wh between two register values; DOWN = the register went down; JUMP = impossible in the time. */
function registerDelta(a: number | null, b: number | null, maxWh: number): number {
  if (a === null || b === null) return 0;
  const diff = b - a;
  if (diff < 0) return DOWN;
  return diff <= maxWh ? diff : JUMP;
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

/**
 * Adds (sign +1) or removes (sign −1) one pair's contribution at every level, with its delta as
 * pairDeltaInto computed it (a broken pair carries 0 Wh and covers nothing).
 */
export function attributeDelta(
  cal: LocalCalendar,
  acc: RollupAccumulator,
  prev: Sample,
  cur: Sample,
  d: PairDelta,
  sign: 1 | -1,
  rules: AttributionRules,
): void {
  const dt = cur.ts - prev.ts;
  const covered = d.discontinuity === null;
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
    return;
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
}
