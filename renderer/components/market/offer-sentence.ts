/**
 * The one sentence a person reads before anything else about an offer or a purchase ("Sell 2.1 kWh
 * between 11:00 and 14:00 tomorrow at €0.19/kWh, €0.40 in total, to any neighbour; expires
 * 11:00"), for the Sell form, the book and the approval page alike. Times are in the household's
 * zone; "today" and "tomorrow" are the person's own (the wall clock's) days.
 */
type T = (key: string, facts?: Record<string, string | number | null | undefined>) => string;
type DateTime = (ms: number, options?: Intl.DateTimeFormatOptions) => string;

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** "between 11:00 and 14:00 tomorrow", "between 11:00 and 14:00 on 3 Mar 2026", or "from 3 Mar 22:00 to 4 Mar 02:00". */
export function windowPhrase(t: T, dateTime: DateTime, start: number, end: number, nowMs: number, zone: string): string {
  const timeZone = safeZone(zone);
  const time = (s: number) => dateTime(s * 1000, { timeStyle: 'short', timeZone });
  const day = localDate(start * 1000, timeZone);
  // The window's end is exclusive: 11:00–14:00 ends at 14:00 of the same day even when that is midnight.
  if (localDate((end - 1) * 1000, timeZone) !== day) {
    const full = (s: number) => dateTime(s * 1000, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    return t('market.sentence.windowSpan', { from: full(start), to: full(end) });
  }
  const facts = { from: time(start), to: time(end) };
  if (day === localDate(nowMs, timeZone)) return t('market.sentence.windowToday', facts);
  if (day === localDate(nowMs + 86_400_000, timeZone)) return t('market.sentence.windowTomorrow', facts);
  return t('market.sentence.windowOn', { ...facts, date: dateTime(start * 1000, { dateStyle: 'medium', timeZone }) });
}

/** The time an offer stops taking buyers: just the time when on the window's day, else date and time. */
export function expiryPhrase(dateTime: DateTime, expiry: number, start: number, zone: string): string {
  const timeZone = safeZone(zone);
  return localDate(expiry * 1000, timeZone) === localDate(start * 1000, timeZone)
    ? dateTime(expiry * 1000, { timeStyle: 'short', timeZone })
    : dateTime(expiry * 1000, { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

/** kWh as a person says it: "2.1 kWh" (exact from Wh; no trailing zeros). */
export function kwhText(t: T, number: (v: number, o?: Intl.NumberFormatOptions) => string, wh: number | string): string {
  return t('market.kwh', { value: number(Number(wh) / 1000, { maximumFractionDigits: 3 }) });
}

export interface SellSentence {
  readonly energyWh: number | string;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly expiry: number;
  /** Formatted already: "€0.19/kWh", "€0.40". */
  readonly price: string;
  readonly total: string;
  readonly timeZone: string;
}

export function sellSentence(t: T, dateTime: DateTime, number: (v: number, o?: Intl.NumberFormatOptions) => string, s: SellSentence, nowMs: number): string {
  return t('market.sentence.sell', {
    energy: kwhText(t, number, s.energyWh),
    window: windowPhrase(t, dateTime, s.deliveryStart, s.deliveryEnd, nowMs, s.timeZone),
    price: s.price,
    total: s.total,
    expiry: expiryPhrase(dateTime, s.expiry, s.deliveryStart, s.timeZone),
  });
}

export interface BuySentence {
  readonly energyWh: number | string;
  readonly seller: string;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly price: string;
  readonly amount: string;
  readonly timeZone: string;
}

export function buySentence(t: T, dateTime: DateTime, number: (v: number, o?: Intl.NumberFormatOptions) => string, s: BuySentence, nowMs: number): string {
  return t('market.sentence.buy', {
    energy: kwhText(t, number, s.energyWh),
    seller: `${s.seller.slice(0, 6)}…${s.seller.slice(-4)}`,
    window: windowPhrase(t, dateTime, s.deliveryStart, s.deliveryEnd, nowMs, s.timeZone),
    price: s.price,
    amount: s.amount,
  });
}
