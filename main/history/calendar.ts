import { WattletError } from '../api/errors.js';
import { fixedLevelMs, levelIndex, levels, type Level } from './levels.js';

/** Local wall-clock parts of an instant, as tariffs and bills need them. */
export interface LocalParts {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
  /** 0 = Monday … 6 = Sunday (ISO order, as tariffs list days). */
  readonly weekday: number;
  readonly minuteOfDay: number;
}

const OFFSET_SLOT_MS = 900_000; // zone offsets change on quarter-hour boundaries at worst

/**
 * The household's calendar: buckets for every roll-up level in one IANA time zone, so "today",
 * "this month" and a tariff's 08:00 peak mean what they mean on the utility's bill. Isomorphic
 * (Intl only): the renderer can re-run bill arithmetic with it. Caches are per instance.
 */
export class LocalCalendar {
  readonly timeZone: string;
  readonly #fmt: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();
  // Last bucket per level (by index, finest first): consecutive readings almost always fall in
  // the same one. Arrays, not records keyed by name: this is asked for every reading.
  readonly #lastStart = new Float64Array(levels.length).fill(NaN);
  readonly #lastEnd = new Float64Array(levels.length).fill(NaN);

  constructor(timeZone: string) {
    try {
      this.#fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new WattletError('HISTORY_TIMEZONE_INVALID', `Unknown time zone ${timeZone}`, { timeZone });
    }
    this.timeZone = timeZone;
  }

  /** Local time minus UTC, in ms, at instant `ts`. */
  offsetAt(ts: number): number {
    if (ts >= this.#rangeStart && ts < this.#rangeEnd) return this.#rangeOffset;
    // Asking Intl is slow (~20 µs): when the offset at a slot and one day later agree, take it
    // as constant for that day (zones change offset at most a few times a year, never twice
    // in a day), so a year of readings costs a few hundred lookups.
    const slotStart = Math.floor(ts / OFFSET_SLOT_MS) * OFFSET_SLOT_MS;
    const offset = this.#intlOffset(slotStart);
    const dayLater = slotStart + 86_400_000;
    this.#rangeStart = slotStart;
    this.#rangeEnd = this.#intlOffset(dayLater) === offset ? dayLater : slotStart + OFFSET_SLOT_MS;
    this.#rangeOffset = offset;
    return offset;
  }

  #rangeStart = 0;
  #rangeEnd = 0;
  #rangeOffset = 0;

  #intlOffset(at: number): number {
    const cached = this.#offsets.get(at);
    if (cached !== undefined) return cached;
    const p: Record<string, number> = {};
    for (const part of this.#fmt.formatToParts(new Date(at))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    if (this.#offsets.size > 100_000) this.#offsets.clear();
    this.#offsets.set(at, offset);
    return offset;
  }

  parts(ts: number): LocalParts {
    const d = new Date(ts + this.offsetAt(ts));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: (d.getUTCDay() + 6) % 7,
      minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(),
    };
  }

  /** The UTC instant of a local wall-clock time (the first one, when DST repeats an hour). */
  toUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    let guess = wall - this.offsetAt(wall);
    guess = wall - this.offsetAt(guess);
    return guess;
  }

  /** Start of the bucket of `level` containing `ts`. */
  bucketStart(level: Level, ts: number): number {
    return this.bucketStartAt(levelIndex[level], ts);
  }

  /** Start of the bucket after the one starting at `start`. */
  nextBucket(level: Level, start: number): number {
    return this.nextBucketAt(levelIndex[level], start);
  }

  /** bucketStart by level index (levels[li]), for the per-reading loops. */
  bucketStartAt(li: number, ts: number): number {
    // NaN bounds fail both comparisons: an empty cache falls through.
    if (ts >= this.#lastStart[li]! && ts < this.#lastEnd[li]!) return this.#lastStart[li]!;
    const level = levels[li]!;
    const start = this.#computeStart(level, ts);
    this.#lastStart[li] = start;
    this.#lastEnd[li] = this.#computeNext(level, start);
    return start;
  }

  /** nextBucket by level index. */
  nextBucketAt(li: number, start: number): number {
    if (this.#lastStart[li] === start) return this.#lastEnd[li]!;
    return this.#computeNext(levels[li]!, start);
  }

  #computeStart(level: Level, ts: number): number {
    const size = fixedLevelMs[level];
    if (size !== undefined) {
      const local = ts + this.offsetAt(ts);
      return ts - (((local % size) + size) % size);
    }
    const p = this.parts(ts);
    return level === 'day' ? this.toUtc(p.year, p.month, p.day) : this.toUtc(p.year, p.month, 1);
  }

  #computeNext(level: Level, start: number): number {
    const size = fixedLevelMs[level];
    if (size !== undefined) return start + size;
    const p = this.parts(start);
    return level === 'day' ? this.toUtc(p.year, p.month, p.day + 1) : this.toUtc(p.year, p.month + 1, 1);
  }
}
