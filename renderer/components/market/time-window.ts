/** Delivery windows on screen: local date-times in, unix seconds on 15-minute boundaries out. */
export const QUARTER = 900;

/** The next whole hour after `nowSeconds` plus `hoursAhead`, as a value for <input type="datetime-local">. */
export function defaultStartInput(nowSeconds: number, hoursAhead = 24): string {
  const t = (Math.floor(nowSeconds / 3600) + 1 + hoursAhead) * 3600;
  return toLocalInput(t);
}

export function toLocalInput(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Local "YYYY-MM-DDTHH:MM" → unix seconds, rounded down to the quarter hour; null when unreadable. */
export function fromLocalInput(value: string): number | null {
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return null;
  return Math.floor(ms / 1000 / QUARTER) * QUARTER;
}

export function formatWindow(dateTime: (ms: number, o?: Intl.DateTimeFormatOptions) => string, start: number, end: number): string {
  const sameDay = new Date(start * 1000).toDateString() === new Date((end - 1) * 1000).toDateString();
  const to = sameDay ? dateTime(end * 1000, { timeStyle: 'short' }) : dateTime(end * 1000);
  return `${dateTime(start * 1000)} – ${to}`;
}
