import type { I18n } from '../../lib/i18n.svelte.js';
import type { PlainFormat } from './plain-verdict.js';

const NBSP = '\u00a0';

/**
 * How the Ledger page writes amounts, dates and times: kWh with two decimals from integer Wh,
 * the ledger day (a UTC date) in the person's language, times in the household's zone; dates and
 * times keep their parts together (no-break spaces), so they never wrap mid-number.
 */
export function ledgerFormat(i18n: I18n, timeZone: string): PlainFormat & { dateMs(ms: number): string } {
  const keep = (s: string) => s.replace(/\s/g, NBSP);
  return {
    kwh: (wh) => i18n.number(Number(wh) / 1000, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    date: (date) => keep(i18n.dateTime(Date.parse(date + 'T00:00:00Z'), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })),
    dateMs: (ms) => keep(i18n.dateTime(ms, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })),
    time: (seconds) => keep(i18n.dateTime(seconds * 1000, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })),
    step: (id) => i18n.t(`ledger.steps.${id}`),
    reason: (code) => say(i18n, code, {}),
  };
}

/** An error code in full words: any fact the text names but the report does not carry is left out, never shown as a placeholder. */
export function say(i18n: I18n, code: string, facts: Record<string, string>): string {
  return i18n.error({ code, facts }).replace(/\s*\{\w+\}/g, '');
}
