import { levelId } from './levels.js';
import { checkRange } from './series.js';
import type { HistoryStore } from './store.js';

export type TotalsPeriod = 'day' | 'week' | 'month' | 'year';

export interface PeriodTotal {
  readonly start: number;
  readonly end: number;
  readonly importWh: number;
  readonly exportWh: number;
  readonly netWh: number;
  /** Covered time over the period's length, permille: below 1000 the total misses readings. */
  readonly coverage: number;
}

/**
 * Totals per local day, ISO week (Monday), month or year over [from, to), summed from the day or
 * month roll-ups. Periods are whole: the first starts at or before `from`.
 */
export function queryTotals(store: HistoryStore, fromMs: number, toMs: number, period: TotalsPeriod): PeriodTotal[] {
  checkRange(fromMs, toMs);
  const cal = store.calendar;
  const source = period === 'day' || period === 'week' ? 'day' : 'month';
  const periodStart = (ts: number): number => {
    if (period === 'day' || period === 'month') return cal.bucketStart(period, ts);
    const p = cal.parts(ts);
    return period === 'week' ? cal.toUtc(p.year, p.month, p.day - p.weekday) : cal.toUtc(p.year, 1, 1);
  };
  const periodEnd = (start: number): number => {
    if (period === 'day' || period === 'month') return cal.nextBucket(period, start);
    const p = cal.parts(start);
    return period === 'week' ? cal.toUtc(p.year, p.month, p.day + 7) : cal.toUtc(p.year + 1, 1, 1);
  };
  const first = periodStart(fromMs);
  const rows = store.db
    .prepare('SELECT start, import_wh, export_wh, covered_ms FROM rollups WHERE level = ? AND start >= ? AND start < ? ORDER BY start')
    .raw()
    .all(levelId[source], first, toMs) as Array<[number, number, number, number]>;
  const out: PeriodTotal[] = [];
  let r = 0;
  for (let s = first; s < toMs; ) {
    const e = periodEnd(s);
    let imp = 0;
    let exp = 0;
    let cov = 0;
    while (r < rows.length && rows[r][0] < e) {
      if (rows[r][0] >= s) {
        imp += rows[r][1];
        exp += rows[r][2];
        cov += rows[r][3];
      }
      r++;
    }
    out.push({ start: s, end: e, importWh: imp, exportWh: exp, netWh: imp - exp, coverage: Math.min(1000, Math.floor((cov * 1000) / (e - s))) });
    s = e;
  }
  return out;
}
