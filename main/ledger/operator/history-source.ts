import type { HistoryStore } from '../../history/store.js';
import { querySeries } from '../../history/series.js';
import { dayStart, INTERVAL_SECONDS, SECONDS_PER_DAY } from '../day.js';
import type { MeterInterval } from '../verify/compare-readings.js';
import type { ReadingSource } from './reading-source.js';

/**
 * My meter's 15-minute intervals from the history store's quarter-hour roll-ups (the household
 * side of check 1, and the demo operator's source in demo mode). Intervals the readings cover
 * only partly are left out rather than compared: their energy is not known here (the app started
 * mid-quarter, or the link was down and the outage's energy is booked whole at its end), so
 * reporting them as 0 Wh, or as what little was seen, would invent a difference with the
 * operator. Check 1 then lists such an interval as missing on my side, which is what it is.
 */
export function historyReadingSource(history: { readonly store: HistoryStore }): ReadingSource {
  return {
    async intervals(_meterId, day) {
      const from = dayStart(day) * 1000;
      const series = querySeries(history.store, from, from + SECONDS_PER_DAY * 1000, 200, 'quarter');
      const out: MeterInterval[] = [];
      series.t.forEach((t, i) => {
        const imp = series.importWh[i];
        const exp = series.exportWh[i];
        if (imp === null || imp === undefined || exp === null || exp === undefined || series.coverage[i]! < 1000) return;
        out.push({ start: t / 1000, seconds: INTERVAL_SECONDS, importWh: BigInt(Math.round(imp)), exportWh: BigInt(Math.round(exp)) });
      });
      return out;
    },
  };
}
