import type { HistoryService } from '../history/service.js';
import { querySeries } from '../history/series.js';
import type { ReadingSource } from '../ledger/operator/reading-source.js';
import type { ExportHistory } from '../market/export-history.js';

const DAY_S = 86_400;
const QUARTER_S = 900;

/**
 * The household's own record as the ledger and market rooms ask for it: a UTC day's 96
 * quarter-hour intervals (check 1 compares them with the operator's), and exported energy over a
 * span (the market's surplus estimate). A quarter with no readings counts 0 Wh here; the
 * comparison then lists it as a difference rather than hiding it.
 */
export function historyReadingSource(history: HistoryService): ReadingSource {
  return {
    async intervals(_meterId, day) {
      const from = day * DAY_S;
      const series = querySeries(history.store, from * 1000, (from + DAY_S) * 1000, 2000, 'quarter');
      return Array.from({ length: DAY_S / QUARTER_S }, (_, i) => {
        const start = from + i * QUARTER_S;
        const k = series.t.indexOf(start * 1000);
        return {
          start,
          seconds: QUARTER_S,
          importWh: BigInt(k >= 0 ? (series.importWh[k] ?? 0) : 0),
          exportWh: BigInt(k >= 0 ? (series.exportWh[k] ?? 0) : 0),
        };
      });
    },
  };
}

export function historyExportSource(history: HistoryService): ExportHistory {
  return {
    async exportWh(fromSeconds, toSeconds) {
      const series = querySeries(history.store, fromSeconds * 1000, toSeconds * 1000);
      let total = 0;
      let known = false;
      for (const v of series.exportWh) {
        if (v === null) continue;
        known = true;
        total += v;
      }
      return known ? total : null;
    },
  };
}
