import { LocalCalendar } from '../history/calendar.js';
import { windowAt, type Tariff } from '../history/tariffs/schema.js';

/**
 * What the household's own tariff says a kWh is worth in a delivery window, in the tariff's unit
 * (milli-minor per kWh: 38500 = €0.385, 56800 = ¥0.568): what the household pays the grid for a
 * kWh it imports then, and what the grid pays it for a kWh it exports then. A window that spans
 * several tariff windows gets their average over its quarter hours (rounded: import down, feed-in
 * up, so the gap between them never looks wider than it is).
 */
export interface WindowRates {
  readonly currency: string;
  readonly minorUnitDigits: number;
  /** The marginal import price: the window's price plus the adder of the tier the household is in now. */
  readonly importPerKWh: number;
  /** The feed-in (export credit) per kWh; 0 when the tariff pays nothing for export. */
  readonly feedInPerKWh: number;
  /** 1-based tier band the household is in now; null for a tariff without tiers. */
  readonly tier: number | null;
  /** The tariff windows the delivery window touches ('peak', 'valley', …), in order of first use. */
  readonly windows: readonly string[];
}

const QUARTER = 900;

/**
 * The rates of [start, end) (unix seconds). `tierImportWh` is the import already counted in the
 * current tier period (this month, or this tariff year): it decides the band a next kWh falls in.
 */
export function windowRates(tariff: Tariff, start: number, end: number, tierImportWh: number): WindowRates {
  const cal = new LocalCalendar(tariff.timeZone);
  const tier = tierBand(tariff, start, tierImportWh);
  const adder = tier === null ? 0 : tariff.tiers!.schedules[0].bands[tier - 1].adder;
  const windows: string[] = [];
  let importSum = 0;
  let feedInSum = 0;
  let n = 0;
  for (let t = start; t < end; t += QUARTER) {
    const w = windowOf(tariff, cal, t * 1000);
    if (!windows.includes(w)) windows.push(w);
    importSum += tariff.energy.prices[w]! + adder;
    feedInSum += feedInOf(tariff, w);
    n++;
  }
  if (n === 0) {
    const w = windowOf(tariff, cal, start * 1000);
    return { currency: tariff.currency, minorUnitDigits: tariff.minorUnitDigits, importPerKWh: tariff.energy.prices[w]! + adder, feedInPerKWh: feedInOf(tariff, w), tier, windows: [w] };
  }
  return {
    currency: tariff.currency,
    minorUnitDigits: tariff.minorUnitDigits,
    importPerKWh: Math.floor(importSum / n),
    feedInPerKWh: Math.ceil(feedInSum / n),
    tier,
    windows,
  };
}

function windowOf(tariff: Tariff, cal: LocalCalendar, ms: number): string {
  if (tariff.energy.schedule.length === 0) return Object.keys(tariff.energy.prices)[0]!;
  const p = cal.parts(ms);
  return windowAt(tariff.energy.schedule, p.month, p.weekday, p.minuteOfDay) ?? Object.keys(tariff.energy.prices)[0]!;
}

/**
 * What exporting a kWh in window `w` earns: the feed-in price (the window's own when set); under
 * net metering the window's import price, which export offsets while the household also imports
 * (the excess price applies only beyond that, which a single offer cannot know).
 */
function feedInOf(tariff: Tariff, w: string): number {
  const ex = tariff.export;
  if (ex.kind === 'feed-in') return ex.windowPrices?.[w] ?? ex.price;
  if (ex.kind === 'net-metering') return tariff.energy.prices[w]!;
  return 0;
}

/** The band a next kWh falls in at `start`, given what the tier period already counted. */
function tierBand(tariff: Tariff, start: number, tierImportWh: number): number | null {
  if (!tariff.tiers) return null;
  const month = new LocalCalendar(tariff.timeZone).parts(start * 1000).month;
  const bands = (tariff.tiers.schedules.find((s) => s.months.includes(month)) ?? tariff.tiers.schedules[0]).bands;
  const i = bands.findIndex((b) => b.upToKWh === null || tierImportWh < b.upToKWh * 1000);
  return (i < 0 ? bands.length - 1 : i) + 1;
}

/**
 * A tariff amount (milli-minor per kWh) in a token's smallest unit per kWh, for a token that is
 * the tariff's currency (one token = one unit of the currency): × 10^decimals / 10^(digits + 3).
 * Rounded half up; exact whenever the token has digits + 3 decimals or more.
 */
export function tariffToTokenUnits(milliMinor: number, minorUnitDigits: number, tokenDecimals: number): bigint {
  const shift = tokenDecimals - (minorUnitDigits + 3);
  const v = BigInt(milliMinor);
  if (shift >= 0) return v * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  return (v + d / 2n) / d;
}
