import { tables, type Language } from '../i18n/index.js';

type Facts = Record<string, string | number | boolean | null | undefined>;

function lookup(table: unknown, key: string): string | undefined {
  let node: unknown = table;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function interpolate(text: string, facts: Facts | undefined, format: (v: number) => string): string {
  if (!facts) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = facts[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'number' ? format(v) : String(v);
  });
}

/**
 * The UI language. Components call `i18n.t('domain.key', facts)`; no UI text is hard-coded.
 * A key missing in zh-CN falls back to English rather than showing the key.
 */
export class I18n {
  language = $state<Language>('en');

  readonly #numberFormat = $derived(new Intl.NumberFormat(this.language));

  t = (key: string, facts?: Facts): string => {
    const text = lookup(tables[this.language], key) ?? lookup(tables.en, key) ?? key;
    return interpolate(text, facts, (v) => this.#numberFormat.format(v));
  };

  /** A typed error from the main process, in the person's language. */
  error = (e: unknown): string => {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'INTERNAL';
    const facts = (typeof e === 'object' && e !== null && 'facts' in e ? (e as { facts: Facts }).facts : {}) ?? {};
    const message = e instanceof Error ? e.message : String(e);
    for (const domain of Object.keys(tables[this.language])) {
      const text = lookup(tables[this.language], `${domain}.errors.${code}`) ?? lookup(tables.en, `${domain}.errors.${code}`);
      if (!text) continue;
      // A reason token (facts.reason) is said in words where the domain's table has them.
      const reasonKey = typeof facts['reason'] === 'string' ? `${domain}.errorReasons.${facts['reason']}` : null;
      const reason = reasonKey ? (lookup(tables[this.language], reasonKey) ?? lookup(tables.en, reasonKey)) : undefined;
      return interpolate(text, reason ? { ...facts, reason } : facts, (v) => this.#numberFormat.format(v));
    }
    return interpolate(this.t('app.errors.UNKNOWN'), { code, message }, String);
  };

  number = (value: number | bigint, options?: Intl.NumberFormatOptions): string =>
    new Intl.NumberFormat(this.language, options).format(value);

  dateTime = (ms: number, options?: Intl.DateTimeFormatOptions): string =>
    new Intl.DateTimeFormat(this.language, options ?? { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export const i18n = new I18n();
