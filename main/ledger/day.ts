/**
 * Days are UTC day numbers (unix seconds / 86400), the unit EnergyLedger anchors by. A day has
 * 96 fifteen-minute intervals; DST never applies because the ledger counts in UTC.
 */
export const SECONDS_PER_DAY = 86_400;
export const INTERVAL_SECONDS = 900;
export const INTERVALS_PER_DAY = SECONDS_PER_DAY / INTERVAL_SECONDS;

export function dayOf(unixSeconds: number): number {
  return Math.floor(unixSeconds / SECONDS_PER_DAY);
}

export function dayStart(day: number): number {
  return day * SECONDS_PER_DAY;
}

/** 'YYYY-MM-DD' (UTC) → day number; undefined for anything that is not a real date. */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  return back === text ? ms / 1000 / SECONDS_PER_DAY : undefined;
}

export function formatDay(day: number): string {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}
