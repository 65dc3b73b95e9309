import { LocalCalendar } from '../calendar.js';
import type { Tariff } from '../tariffs/schema.js';
import { tierPeriodStart } from './bill.js';

/**
 * Where a household stands on a tiered (阶梯) tariff: the band its cumulative import of the tier
 * period has reached, how much of that band it has used and how much is left before the next
 * one — what the State Grid app leads with. Pure; the thresholds are those of the month `ts` is
 * in (seasonal schedules may move them).
 */
export interface TierProgress {
  readonly basis: 'monthly' | 'annual';
  /** The tier period (a month, or the tariff year) containing `ts`. */
  readonly periodFrom: number;
  readonly periodTo: number;
  /** Import counted in the period so far. */
  readonly usedWh: number;
  /** 1-based band the next kWh falls in. */
  readonly tier: number;
  readonly tiers: number;
  /** The band's lower and upper bounds in cumulative Wh (upper null for the last band). */
  readonly tierFromWh: number;
  readonly tierToWh: number | null;
  /** Used inside this band, and left before the next one (null in the last band). */
  readonly inTierWh: number;
  readonly leftWh: number | null;
  /** What this band and the next add to every window's price (milli-minor/kWh). */
  readonly adder: number;
  readonly nextAdder: number | null;
}

export function tierProgress(tariff: Tariff, ts: number, usedWh: number): TierProgress | null {
  if (!tariff.tiers) return null;
  const cal = new LocalCalendar(tariff.timeZone);
  const periodFrom = tierPeriodStart(tariff, ts);
  const p = cal.parts(periodFrom);
  const periodTo = tariff.tiers.basis === 'monthly' ? cal.toUtc(p.year, p.month + 1, 1) : cal.toUtc(p.year + 1, p.month, 1);
  const month = cal.parts(ts).month;
  const bands = tariff.tiers.schedules.find((s) => s.months.includes(month))!.bands;
  // A band is full once the count reaches its bound (bill.ts prices the next Wh in the next band).
  let b = 0;
  while (b < bands.length - 1 && usedWh >= bands[b]!.upToKWh! * 1000) b++;
  const tierFromWh = b === 0 ? 0 : bands[b - 1]!.upToKWh! * 1000;
  const upper = bands[b]!.upToKWh;
  const tierToWh = upper === null ? null : upper * 1000;
  return {
    basis: tariff.tiers.basis,
    periodFrom,
    periodTo,
    usedWh,
    tier: b + 1,
    tiers: bands.length,
    tierFromWh,
    tierToWh,
    inTierWh: usedWh - tierFromWh,
    leftWh: tierToWh === null ? null : tierToWh - usedWh,
    adder: bands[b]!.adder,
    nextAdder: b + 1 < bands.length ? bands[b + 1]!.adder : null,
  };
}
