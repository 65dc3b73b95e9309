import { computeBill } from './bill/bill.js';
import { averageDay, projectedIntervals } from './bill/forecast.js';
import { tierProgress, type TierProgress } from './bill/tier-progress.js';
import { tierPeriodStart } from './bill/bill.js';
import { levelId } from './levels.js';
import { querySeries } from './series.js';
import type { HistoryService } from './service.js';
import type { Tariff } from './tariffs/schema.js';
import { queryTotals } from './totals.js';

/**
 * The Overview's figures in one answer: today's curve, the last 30 days with their cost, this
 * month's cost so far (the one definition Bills uses too) and a month-end forecast that states
 * its basis, and — on a tiered tariff — the band the household is in.
 */
export interface Dashboard {
  readonly timeZone: string;
  readonly now: number;
  /** Today's quarter hours: energy per quarter (the page draws them as average power). */
  readonly today: { readonly from: number; readonly to: number; readonly t: number[]; readonly importWh: Array<number | null>; readonly exportWh: Array<number | null>; readonly coverage: number[] };
  /** The last 30 local days, today last; `cost` is each day's cost so far (null without a tariff). */
  readonly days: Array<{ readonly start: number; readonly importWh: number; readonly exportWh: number; readonly coverage: number; readonly cost: number | null }>;
  readonly month: {
    readonly from: number;
    readonly to: number;
    readonly importWh: number;
    readonly exportWh: number;
    readonly coverage: number;
  };
  /** Costs under the active tariff; null when none is chosen or it no longer loads (`tariffProblem`). */
  readonly money: {
    readonly tariffId: string;
    readonly currency: string;
    readonly minorUnitDigits: number;
    readonly todayCost: number;
    /** This month's bill so far: energy to now, standing charges for the days begun. */
    readonly monthSoFar: number;
    /** What the days of the month not begun yet add in standing charges (and their tax). */
    readonly restStanding: number;
    readonly forecast: Forecast | null;
  } | null;
  readonly tariffProblem: string | null;
  readonly tier: TierProgress | null;
}

export interface Forecast {
  /** The whole month's bill: actual energy so far, the average day for the rest, all standing charges. */
  readonly total: number;
  readonly importWh: number;
  readonly exportWh: number;
  /** The days averaged: complete local days before today, the newest `days` of the last week. */
  readonly basis: { readonly days: number; readonly from: number; readonly to: number; readonly dailyImportWh: number; readonly dailyExportWh: number };
}

const BASIS_DAYS = 7;
/** A day counts as complete when readings cover at least this much of it (permille). */
const COMPLETE_DAY = 900;
const BAR_DAYS = 30;

export function dashboard(service: HistoryService): Dashboard {
  const store = service.store;
  const cal = store.calendar;
  const now = service.now();
  const dayStart = cal.bucketStart('day', now);
  const dayEnd = cal.nextBucket('day', dayStart);
  const monthStart = cal.bucketStart('month', now);
  const monthEnd = cal.nextBucket('month', monthStart);
  const p = cal.parts(dayStart);
  const barsFrom = cal.toUtc(p.year, p.month, p.day - (BAR_DAYS - 1));

  const curve = querySeries(store, dayStart, dayEnd, 2000, 'quarter');
  const dayTotals = queryTotals(store, barsFrom, dayEnd, 'day');
  const monthRow = store.db
    .prepare('SELECT import_wh AS importWh, export_wh AS exportWh, covered_ms AS covered FROM rollups WHERE level = ? AND start = ?')
    .get(levelId.month, monthStart) as { importWh: number; exportWh: number; covered: number } | undefined;
  const monthSpan = Math.max(1, Math.min(now, monthEnd) - monthStart);

  let tariff: Tariff | null = null;
  let tariffProblem: string | null = null;
  if (service.activeTariffId) {
    try {
      tariff = service.tariff();
    } catch (e) {
      tariffProblem = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'TARIFF_INVALID';
    }
  }

  const costs = tariff ? service.periodCosts(dayTotals, tariff) : dayTotals.map(() => null);
  const days = dayTotals.map((d, i) => ({
    start: d.start,
    importWh: d.importWh,
    exportWh: d.exportWh,
    coverage: d.coverage,
    cost: costs[i]!,
  }));

  let money: Dashboard['money'] = null;
  let tier: TierProgress | null = null;
  if (tariff) {
    const soFar = service.billSoFar(monthStart, monthEnd, undefined, tariff);
    money = {
      tariffId: tariff.id,
      currency: tariff.currency,
      minorUnitDigits: tariff.minorUnitDigits,
      todayCost: days.at(-1)?.cost ?? 0,
      monthSoFar: soFar.bill.total,
      restStanding: soFar.restStanding,
      forecast: forecast(service, tariff, dayStart, monthStart, monthEnd, dayTotals),
    };
    if (tariff.tiers) {
      const used = store.db
        .prepare('SELECT COALESCE(SUM(import_wh), 0) FROM rollups WHERE level = ? AND start >= ? AND start < ?')
        .pluck()
        .get(levelId.quarter, tierPeriodStart(tariff, now), now + 1) as number;
      tier = tierProgress(tariff, now, used);
    }
  }

  return {
    timeZone: cal.timeZone,
    now,
    today: { from: dayStart, to: dayEnd, t: curve.t, importWh: curve.importWh, exportWh: curve.exportWh, coverage: curve.coverage },
    days,
    month: {
      from: monthStart,
      to: monthEnd,
      importWh: monthRow?.importWh ?? 0,
      exportWh: monthRow?.exportWh ?? 0,
      coverage: monthRow ? Math.min(1000, Math.floor((monthRow.covered * 1000) / monthSpan)) : 0,
    },
    money,
    tariffProblem,
    tier,
  };
}

/**
 * The month's bill at its end: the quarter hours so far as measured, the rest as the average of
 * the last complete days (up to a week before today). Null without a complete day to average.
 */
function forecast(
  service: HistoryService,
  tariff: Tariff,
  dayStart: number,
  monthStart: number,
  monthEnd: number,
  dayTotals: ReadonlyArray<{ start: number; end: number; coverage: number }>,
): Forecast | null {
  const complete = dayTotals.filter((d) => d.end <= dayStart && d.coverage >= COMPLETE_DAY).slice(-BASIS_DAYS);
  if (complete.length === 0) return null;
  const cal = service.store.calendar;
  const input = service.billInput(monthStart, monthEnd, tariff);
  const now = service.now();
  const basisIntervals = complete.flatMap((d) => service.billInput(d.start, d.end, tariff).intervals);
  const avg = averageDay(cal, basisIntervals, complete.length);
  // The quarter hour now running is counted as measured so far; the average fills from the next one.
  const actual = input.intervals.filter((iv) => iv.start <= now);
  const projected = projectedIntervals(cal, avg, now + 1, monthEnd);
  const bill = computeBill({ ...input, intervals: [...actual, ...projected] });
  return {
    total: bill.total,
    importWh: bill.importWh,
    exportWh: bill.exportWh,
    basis: { days: complete.length, from: complete[0]!.start, to: complete.at(-1)!.end, dailyImportWh: avg.dailyImportWh, dailyExportWh: avg.dailyExportWh },
  };
}
