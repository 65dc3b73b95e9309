import { i18n } from '../../lib/i18n.svelte.js';

// Display formatting for the history pages. Arithmetic stays in integers (Wh, minor units) in
// the main process; these turn finished integers into text in the person's language.

export function kwh(wh: number | null, digits = 3): string {
  if (wh === null) return '—';
  return i18n.t('history.units.kwh', { value: i18n.number(wh / 1000, { minimumFractionDigits: Math.min(digits, 1), maximumFractionDigits: digits }) });
}

export function watts(w: number): string {
  return Math.abs(w) >= 10_000
    ? i18n.t('history.units.kw', { value: i18n.number(w / 1000, { maximumFractionDigits: 2 }) })
    : i18n.t('history.units.w', { value: i18n.number(w) });
}

export function money(minor: number, currency: string, minorUnitDigits: number): string {
  return i18n.number(minor / 10 ** minorUnitDigits, { style: 'currency', currency, minimumFractionDigits: minorUnitDigits, maximumFractionDigits: minorUnitDigits });
}

/** milli-minor units (per kWh, per day) as a price with the precision tariffs publish. */
export function unitPrice(milliMinor: number, currency: string, minorUnitDigits: number): string {
  return i18n.number(milliMinor / 10 ** (minorUnitDigits + 3), {
    style: 'currency',
    currency,
    minimumFractionDigits: minorUnitDigits,
    maximumFractionDigits: minorUnitDigits + 3,
  });
}

export function percent(permille: number): string {
  return i18n.number(permille / 1000, { style: 'percent', maximumFractionDigits: 1 });
}

/**
 * A bucket's start as text. `timeZone` is the household's (the history's calendar): buckets
 * begin at its midnight, so a screen set to another zone must still show them at 00:00.
 */
export function when(ms: number, level: string, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions =
    level === 'month'
      ? { year: 'numeric', month: 'long' }
      : level === 'year'
        ? { year: 'numeric' }
        : level === 'day' || level === 'week'
          ? { dateStyle: 'medium' }
          : { dateStyle: 'short', timeStyle: 'short' };
  return i18n.dateTime(ms, timeZone ? { ...opts, timeZone } : opts);
}
