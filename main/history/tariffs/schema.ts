import { z } from 'zod';

/**
 * A tariff as data (resources/tariffs/*.json, or the user's own in the data folder).
 *
 * Units — integers only, so every bill is exact and reproducible:
 * - energy prices and tier adders: 1/1000 of a minor currency unit per kWh ("milli-minor/kWh";
 *   0.568 CNY/kWh = 56.8 fen/kWh = 56800), fine enough for four-decimal published prices;
 * - standing charges: milli-minor units per day or per month;
 * - taxes: basis points (13% = 1300);
 * - tier thresholds: whole kWh, as utilities publish them.
 * Rounding (bill.ts): each line is rounded to the minor unit, half away from zero; taxes are
 * computed on the sum of the rounded lines and rounded the same way.
 */
export const windowName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'window names are lower-case words');
export const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export const weekdays = weekday.options;
const month = z.number().int().min(1).max(12);
const hhmm = z.string().regex(/^([01]\d|2[0-4]):(00|15|30|45)$/, 'times are HH:MM on a quarter hour');
const milli = z.number().int().nonnegative();

export const scheduleRuleSchema = z.object({
  months: z.array(month).min(1),
  days: z.array(weekday).min(1),
  /** Windows of the day; `to` may be before `from` (wraps past midnight); 24:00 ends the day. */
  periods: z.array(z.object({ from: hhmm, to: hhmm, window: windowName })).min(1),
});

export const tierBandSchema = z.object({
  /** Upper bound of the band in cumulative kWh (inclusive); null for the last band. */
  upToKWh: z.number().int().positive().nullable(),
  /** Added to the window's price for energy in this band (milli-minor/kWh). */
  adder: milli,
});

export const tiersSchema = z.object({
  /** What the cumulative count resets with: each calendar month, or each tariff year. */
  basis: z.enum(['monthly', 'annual']),
  yearStartMonth: month.default(1),
  /** Thresholds may differ by season (e.g. a larger first band in summer months). */
  schedules: z.array(z.object({ months: z.array(month).min(1), bands: z.array(tierBandSchema).min(1) })).min(1),
});

export const exportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** Every exported kWh is credited at `price` (or its window's price). */
  z.object({ kind: z.literal('feed-in'), price: milli, windowPrices: z.record(windowName, milli).optional() }),
  /**
   * Export offsets import in the same window over the billing period, at that window's base
   * price; what is left over is credited at `excessPrice`.
   */
  z.object({ kind: z.literal('net-metering'), excessPrice: milli }),
]);

export const tariffSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case words joined by dashes'),
    name: z.object({ en: z.string().min(1).max(120), 'zh-CN': z.string().min(1).max(120) }),
    /** Where the numbers come from (a published notice), so a person can check them. */
    source: z.string().max(1000).default(''),
    currency: z.string().regex(/^[A-Z]{3}$/),
    minorUnitDigits: z.number().int().min(0).max(3),
    timeZone: z.string().min(1),
    energy: z.object({
      prices: z.record(windowName, milli),
      /** Empty: every kWh is in the single window of `prices`. */
      schedule: z.array(scheduleRuleSchema).default([]),
    }),
    tiers: tiersSchema.optional(),
    export: exportSchema.default({ kind: 'none' }),
    standingCharges: z.array(z.object({ id: windowName, per: z.enum(['day', 'month']), amount: milli })).default([]),
    taxes: z.array(z.object({ id: windowName, rateBasisPoints: z.number().int().min(0).max(10_000), base: z.enum(['all', 'energy']) })).default([]),
  })
  .superRefine((t, ctx) => {
    const windows = Object.keys(t.energy.prices);
    if (windows.length === 0) ctx.addIssue({ code: 'custom', path: ['energy', 'prices'], message: 'at least one window needs a price' });
    if (t.energy.schedule.length === 0 && windows.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['energy', 'schedule'], message: 'several windows need a schedule' });
    }
    for (let m = 1; m <= 12 && t.energy.schedule.length; m++) {
      for (const d of weekdays) {
        for (let q = 0; q < 96; q++) {
          const w = windowAt(t.energy.schedule, m, weekdays.indexOf(d), q * 15);
          if (w === null || !(w in t.energy.prices)) {
            ctx.addIssue({ code: 'custom', path: ['energy', 'schedule'], message: `no priced window for month ${m}, ${d}, minute ${q * 15}` });
            return;
          }
        }
      }
    }
    if (t.tiers) {
      for (let m = 1; m <= 12; m++) {
        if (!t.tiers.schedules.some((s) => s.months.includes(m))) {
          ctx.addIssue({ code: 'custom', path: ['tiers', 'schedules'], message: `no tier bands for month ${m}` });
        }
      }
      const adders = t.tiers.schedules[0].bands.map((b) => b.adder);
      for (const s of t.tiers.schedules) {
        if (s.bands.at(-1)!.upToKWh !== null) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'the last band has upToKWh null' });
        if (s.bands.length !== adders.length || s.bands.some((b, i) => b.adder !== adders[i])) {
          ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'seasons may change thresholds, not adders' });
        }
      }
    }
  });

export type Tariff = z.output<typeof tariffSchema>;
export type TariffInput = z.input<typeof tariffSchema>;
export type ScheduleRule = z.output<typeof scheduleRuleSchema>;

function minutes(hhmmText: string): number {
  return Number(hhmmText.slice(0, 2)) * 60 + Number(hhmmText.slice(3, 5));
}

/** The window in force at a local month (1–12), weekday (0 = Monday) and minute of day; null if none. */
export function windowAt(schedule: readonly ScheduleRule[], monthOfYear: number, weekdayIndex: number, minuteOfDay: number): string | null {
  const day = weekdays[weekdayIndex];
  for (const rule of schedule) {
    if (!rule.months.includes(monthOfYear) || !rule.days.includes(day)) continue;
    for (const p of rule.periods) {
      const from = minutes(p.from);
      const to = minutes(p.to);
      const inside = from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
      if (inside) return p.window;
    }
  }
  return null;
}
