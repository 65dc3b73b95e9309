import { formatScaled, parseDecimalScaled } from '../../../main/history/csv/decimal.js';
import { tariffSchema, weekdays, type Tariff } from '../../../main/history/tariffs/schema.js';

/**
 * A tariff as the form edits it: prices as the person reads them on a bill, in the household's
 * currency ("0.568" CNY per kWh), and back to the document's exact integers (56800 thousandths
 * of a fen per kWh) with no floating point in between. Pure: the form and its spec share it.
 */
export type Weekday = (typeof weekdays)[number];

export interface TariffDraft {
  id: string;
  nameEn: string;
  nameZh: string;
  source: string;
  currency: string;
  minorUnitDigits: number;
  timeZone: string;
  windows: Array<{ name: string; price: string }>;
  rules: Array<{ months: number[]; days: Weekday[]; periods: Array<{ from: string; to: string; window: string }> }>;
  tiers: { basis: 'monthly' | 'annual'; yearStartMonth: number; schedules: Array<{ months: number[]; bands: Array<{ upTo: string; adder: string }> }> } | null;
  exportKind: 'none' | 'feed-in' | 'net-metering';
  exportPrice: string;
  /** Feed-in per window; empty text = the feed-in price. */
  windowPrices: Record<string, string>;
  excessPrice: string;
  standing: Array<{ id: string; per: 'day' | 'month'; amount: string }>;
  taxes: Array<{ id: string; rate: string; base: 'all' | 'energy' }>;
}

/** A field the person must fix: where (a path in the draft) and what kind of problem. */
export interface DraftProblem {
  readonly field: string;
  readonly kind: 'price' | 'kwh' | 'rate' | 'schema';
  /** For 'schema': the document's path and the validator's words. */
  readonly path?: string;
  readonly message?: string;
}

/** An exact scaled integer as decimal text, keeping at least `minDecimals` decimals and no trailing zeros beyond. */
function decimalText(value: number, scaleDigits: number, minDecimals: number): string {
  const text = formatScaled(value, scaleDigits);
  if (!text.includes('.')) return text;
  const [whole, frac] = text.split('.') as [string, string];
  const kept = frac.replace(/0+$/, '').padEnd(minDecimals, '0');
  return kept ? `${whole}.${kept}` : whole;
}

/** Thousandths of a minor unit as text in major units ("0.568"), trailing zeros beyond the minor unit dropped. */
export function priceText(milliMinor: number, minorUnitDigits: number): string {
  return decimalText(milliMinor, minorUnitDigits + 3, minorUnitDigits);
}

/** Basis points as a percentage ("5", "8.25"). */
export function rateText(basisPoints: number): string {
  return decimalText(basisPoints, 2, 0);
}

/** Major-unit text ("0.568", "0,568") → thousandths of a minor unit; null if not an exact non-negative price. */
export function parsePrice(text: string, minorUnitDigits: number): number | null {
  const t = text.trim();
  const v = parseDecimalScaled(t, minorUnitDigits + 3, t.includes(',') && !t.includes('.') ? ',' : '.');
  return v && !v.rounded && v.value >= 0 ? v.value : null;
}

export function toDraft(t: Tariff): TariffDraft {
  const d = t.minorUnitDigits;
  const p = (milli: number) => priceText(milli, d);
  const ex = t.export;
  return {
    id: t.id,
    nameEn: t.name.en,
    nameZh: t.name['zh-CN'],
    source: t.source,
    currency: t.currency,
    minorUnitDigits: d,
    timeZone: t.timeZone,
    windows: Object.entries(t.energy.prices).map(([name, price]) => ({ name, price: p(price) })),
    rules: t.energy.schedule.map((r) => ({ months: [...r.months], days: [...r.days], periods: r.periods.map((x) => ({ ...x })) })),
    tiers: t.tiers
      ? {
          basis: t.tiers.basis,
          yearStartMonth: t.tiers.yearStartMonth,
          schedules: t.tiers.schedules.map((s) => ({ months: [...s.months], bands: s.bands.map((b) => ({ upTo: b.upToKWh === null ? '' : String(b.upToKWh), adder: p(b.adder) })) })),
        }
      : null,
    exportKind: ex.kind,
    exportPrice: ex.kind === 'feed-in' ? p(ex.price) : '',
    windowPrices: ex.kind === 'feed-in' && ex.windowPrices ? Object.fromEntries(Object.entries(ex.windowPrices).map(([w, v]) => [w, p(v)])) : {},
    excessPrice: ex.kind === 'net-metering' ? p(ex.excessPrice) : '',
    standing: t.standingCharges.map((c) => ({ id: c.id, per: c.per, amount: p(c.amount) })),
    taxes: t.taxes.map((x) => ({ id: x.id, rate: rateText(x.rateBasisPoints), base: x.base })),
  };
}

/**
 * The draft as a tariff document, checked by the same schema the main process applies; every
 * price that is not an exact amount, and the first thing the schema refuses, is a problem.
 */
export function fromDraft(draft: TariffDraft): { tariff: Tariff; problems: [] } | { tariff: null; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const d = draft.minorUnitDigits;
  const price = (text: string, field: string): number => {
    const v = parsePrice(text, d);
    if (v === null) problems.push({ field, kind: 'price' });
    return v ?? 0;
  };
  const prices = Object.fromEntries(draft.windows.map((w, i) => [w.name.trim(), price(w.price, `windows.${i}.price`)]));
  const windowPrices: Record<string, number> = {};
  for (const [w, text] of Object.entries(draft.windowPrices)) if (text.trim() !== '' && w in prices) windowPrices[w] = price(text, `windowPrices.${w}`);
  const exportDoc =
    draft.exportKind === 'feed-in'
      ? { kind: 'feed-in' as const, price: price(draft.exportPrice, 'exportPrice'), ...(Object.keys(windowPrices).length ? { windowPrices } : {}) }
      : draft.exportKind === 'net-metering'
        ? { kind: 'net-metering' as const, excessPrice: price(draft.excessPrice, 'excessPrice') }
        : { kind: 'none' as const };
  const tiers = draft.tiers
    ? {
        basis: draft.tiers.basis,
        yearStartMonth: draft.tiers.yearStartMonth,
        schedules: draft.tiers.schedules.map((s, si) => ({
          months: [...s.months],
          bands: s.bands.map((b, bi) => {
            const last = bi === s.bands.length - 1;
            const kwh = last ? null : /^\d{1,9}$/.test(b.upTo.trim()) ? Number(b.upTo.trim()) : NaN;
            if (kwh !== null && !(kwh > 0)) problems.push({ field: `tiers.${si}.bands.${bi}.upTo`, kind: 'kwh' });
            return { upToKWh: kwh !== null && Number.isNaN(kwh) ? 0 : kwh, adder: price(b.adder, `tiers.${si}.bands.${bi}.adder`) };
          }),
        })),
      }
    : undefined;
  const taxes = draft.taxes.map((x, i) => {
    const v = parseDecimalScaled(x.rate.trim(), 2, x.rate.includes(',') && !x.rate.includes('.') ? ',' : '.');
    if (!v || v.rounded || v.value < 0) problems.push({ field: `taxes.${i}.rate`, kind: 'rate' });
    return { id: x.id.trim(), rateBasisPoints: v?.value ?? 0, base: x.base };
  });
  const doc = {
    schemaVersion: 1,
    id: draft.id.trim(),
    name: { en: draft.nameEn.trim(), 'zh-CN': draft.nameZh.trim() },
    source: draft.source,
    currency: draft.currency.trim().toUpperCase(),
    minorUnitDigits: d,
    timeZone: draft.timeZone.trim(),
    energy: {
      prices,
      schedule: draft.windows.length > 1 ? draft.rules.map((r) => ({ months: [...r.months], days: weekdays.filter((w) => r.days.includes(w)), periods: r.periods.map((x) => ({ ...x })) })) : [],
    },
    ...(tiers ? { tiers } : {}),
    export: exportDoc,
    standingCharges: draft.standing.map((c, i) => ({ id: c.id.trim(), per: c.per, amount: price(c.amount, `standing.${i}.amount`) })),
    taxes,
  };
  if (problems.length) return { tariff: null, problems };
  const parsed = tariffSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { tariff: null, problems: [{ field: issue.path.join('.'), kind: 'schema', path: issue.path.join('.'), message: issue.message }] };
  }
  return { tariff: parsed.data, problems: [] };
}

/** The day's quarter hours (0–95) → window, for the strip: the first rule covering the month and day wins, as in the bill. */
export function dayWindows(rules: TariffDraft['rules'], month: number, day: Weekday): Array<string | null> {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Array.from({ length: 96 }, (_, q) => {
    const m = q * 15;
    for (const r of rules) {
      if (!r.months.includes(month) || !r.days.includes(day)) continue;
      for (const p of r.periods) {
        const from = minutes(p.from);
        const to = minutes(p.to);
        if (from < to ? m >= from && m < to : m >= from || m < to) return p.window;
      }
    }
    return null;
  });
}

/** 00:00 … 24:00 in quarter hours, as schedules take them. */
export const quarterTimes: readonly string[] = Array.from({ length: 97 }, (_, q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
