/**
 * The roll-up levels, finest first. Each is stored under a small integer id (compact rows);
 * `nominalMs` is only for choosing a level for a range — day and month buckets follow the
 * household's local calendar, so their real length varies (DST days, 28–31-day months).
 */
export const levels = ['minute', 'quarter', 'hour', 'day', 'month'] as const;
export type Level = (typeof levels)[number];

export const levelId: Record<Level, number> = { minute: 1, quarter: 2, hour: 3, day: 4, month: 5 };

/** Position in `levels` (0 = minute … 4 = month): the per-reading loops address levels by it. */
export const levelIndex: Record<Level, number> = { minute: 0, quarter: 1, hour: 2, day: 3, month: 4 };

export const levelNominalMs: Record<Level, number> = {
  minute: 60_000,
  quarter: 900_000,
  hour: 3_600_000,
  day: 86_400_000,
  month: 2_629_746_000, // mean Gregorian month
};

/** Fixed-size levels: bucket = floor((ts + local offset) / size). */
export const fixedLevelMs: Partial<Record<Level, number>> = {
  minute: 60_000,
  quarter: 900_000,
  hour: 3_600_000,
};

/** The finest level whose nominal bucket count over the range stays within `maxPoints`. */
export function levelForRange(fromMs: number, toMs: number, maxPoints: number): Level {
  const span = Math.max(1, toMs - fromMs);
  for (const level of levels) {
    if (Math.ceil(span / levelNominalMs[level]) <= maxPoints) return level;
  }
  return 'month';
}
