import { WattletError } from '../api/errors.js';
import { levelForRange, levelId, type Level } from './levels.js';
import type { HistoryStore } from './store.js';

export const MAX_POINTS = 2000;

/**
 * Columnar series for a chart (uPlot takes arrays): one entry per bucket of the chosen level over
 * the range, including buckets with no data, so the grid itself marks gaps. A value is null
 * when nothing is known for its bucket; `coverage` says how much of a bucket the readings cover
 * (permille), so a partly covered bucket is visible as such.
 */
export interface Series {
  readonly level: Level;
  readonly from: number;
  readonly to: number;
  readonly t: number[];
  readonly importWh: Array<number | null>;
  readonly exportWh: Array<number | null>;
  readonly netWh: Array<number | null>;
  readonly coverage: number[];
  /** Runs of buckets with no coverage: [from, to) pairs. */
  readonly gaps: Array<[number, number]>;
}

export function checkRange(fromMs: number, toMs: number): void {
  if (!(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs) && fromMs < toMs)) {
    throw new WattletError('HISTORY_RANGE_INVALID', 'The range must have from < to', { from: fromMs, to: toMs });
  }
  if (toMs - fromMs > 40 * 366 * 86_400_000) {
    throw new WattletError('HISTORY_RANGE_INVALID', 'The range is longer than 40 years', { from: fromMs, to: toMs });
  }
}

export function querySeries(store: HistoryStore, fromMs: number, toMs: number, maxPoints = MAX_POINTS, level?: Level): Series {
  checkRange(fromMs, toMs);
  const chosen = level ?? levelForRange(fromMs, toMs, maxPoints);
  const cal = store.calendar;
  const first = cal.bucketStart(chosen, fromMs);
  const rows = store.db
    .prepare('SELECT start, import_wh, export_wh, covered_ms FROM rollups WHERE level = ? AND start >= ? AND start < ? ORDER BY start')
    .raw()
    .all(levelId[chosen], first, toMs) as Array<[number, number, number, number]>;
  const out: Series = { level: chosen, from: fromMs, to: toMs, t: [], importWh: [], exportWh: [], netWh: [], coverage: [], gaps: [] };
  let r = 0;
  let gapStart: number | null = null;
  for (let b = first; b < toMs; ) {
    const next = cal.nextBucket(chosen, b);
    while (r < rows.length && rows[r][0] < b) r++;
    const row = r < rows.length && rows[r][0] === b ? rows[r] : null;
    const cov = row ? Math.min(1000, Math.floor((row[3] * 1000) / (next - b))) : 0;
    const known = row !== null && (cov > 0 || row[1] !== 0 || row[2] !== 0);
    out.t.push(b);
    out.importWh.push(known ? row[1] : null);
    out.exportWh.push(known ? row[2] : null);
    out.netWh.push(known ? row[1] - row[2] : null);
    out.coverage.push(cov);
    if (cov === 0 && gapStart === null) gapStart = b;
    if (cov > 0 && gapStart !== null) {
      out.gaps.push([gapStart, b]);
      gapStart = null;
    }
    b = next;
  }
  if (gapStart !== null) out.gaps.push([gapStart, cal.nextBucket(chosen, out.t[out.t.length - 1])]);
  return out;
}
