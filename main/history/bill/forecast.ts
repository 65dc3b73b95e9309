import type { LocalCalendar } from '../calendar.js';
import type { BillInterval } from './bill.js';

/**
 * A period's end, forecast from an average day. The household's recent complete days give the
 * average energy of each quarter hour of the day (so peak and valley keep their share); the
 * quarter hours still to come in the period are filled with it, and the bill engine prices the
 * whole — tiers crossed mid-month and time-of-use windows included. Pure (Intl only).
 */
export interface AverageDay {
  /** How many days were averaged. */
  readonly days: number;
  /** Wh per local quarter hour of the day (96 slots), import and export. */
  readonly importWh: readonly number[];
  readonly exportWh: readonly number[];
  /** The slots' sums: an average day's energy. */
  readonly dailyImportWh: number;
  readonly dailyExportWh: number;
}

const SLOTS = 96;
const QUARTER_MS = 900_000;

/** The average day of `days` days whose quarter-hour intervals are given (slot = local quarter hour). */
export function averageDay(cal: LocalCalendar, intervals: readonly BillInterval[], days: number): AverageDay {
  const imp = new Array<number>(SLOTS).fill(0);
  const exp = new Array<number>(SLOTS).fill(0);
  for (const iv of intervals) {
    const slot = Math.floor(cal.parts(iv.start).minuteOfDay / 15);
    imp[slot] += iv.importWh;
    exp[slot] += iv.exportWh;
  }
  const n = Math.max(1, days);
  const importWh = imp.map((v) => Math.round(v / n));
  const exportWh = exp.map((v) => Math.round(v / n));
  return { days, importWh, exportWh, dailyImportWh: importWh.reduce((a, b) => a + b, 0), dailyExportWh: exportWh.reduce((a, b) => a + b, 0) };
}

/** Quarter-hour intervals from the first quarter starting at or after `from` up to `to`, as the average day has them. */
export function projectedIntervals(cal: LocalCalendar, day: AverageDay, from: number, to: number): BillInterval[] {
  const out: BillInterval[] = [];
  let q = cal.bucketStart('quarter', from);
  if (q < from) q = cal.nextBucket('quarter', q);
  for (; q < to; q += QUARTER_MS) {
    const slot = Math.floor(cal.parts(q).minuteOfDay / 15);
    out.push({ start: q, importWh: day.importWh[slot]!, exportWh: day.exportWh[slot]! });
  }
  return out;
}
