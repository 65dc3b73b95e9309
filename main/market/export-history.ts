import type { HistoryStore } from '../history/store.js';
import { querySeries } from '../history/series.js';

/**
 * The household's measured export, from the history store (main/history owns it). Injected so the
 * market neither opens the database nor knows its roll-ups.
 */
export interface ExportHistory {
  /** Total exported Wh in [fromSeconds, toSeconds), or null when the store has no data for that span. */
  exportWh(fromSeconds: number, toSeconds: number): Promise<number | null>;
}

/** Exported energy over a span from the history's roll-ups (the market's surplus estimate). */
export function historyExportSource(history: { readonly store: HistoryStore }): ExportHistory {
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
