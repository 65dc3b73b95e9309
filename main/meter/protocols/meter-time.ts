/**
 * Meter clocks show local wall time; the reading model carries UTC ms. These convert the local
 * times of the regions whose protocols we speak.
 */

/** Last Sunday of a month, as a day of month (EU summer time switches on those days). */
function lastSunday(year: number, month0: number): number {
  const last = new Date(Date.UTC(year, month0 + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/**
 * Central European wall time (NL, BE, LU, DE meters) to UTC. `dst`: the telegram's own flag
 * (DSMR 'S' = summer/CEST, 'W' = winter/CET); null where the format has none (DSMR 2.2, SML
 * text), in which case the EU rule (Directive 2000/84/EC: last Sunday of March to last Sunday of
 * October, 01:00 UTC) decides.
 */
export function centralEuropeanToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  dst: boolean | null,
): number {
  return centralEuropeanWallToUtc(Date.UTC(y, mo - 1, d, h, mi, s), y, dst);
}

/**
 * EU summer time per year, for the last few years asked (a pure function of the year; decoders
 * ask per telegram, meters read in turn may each be in another year, and two Date objects per
 * call were a visible share of a DSMR 2.2 parse).
 */
const YEAR_SLOTS = 8;
const summerYears = new Int32Array(YEAR_SLOTS).fill(-1);
const summerStarts = new Float64Array(YEAR_SLOTS);
const summerEnds = new Float64Array(YEAR_SLOTS);

/** The same from the wall time read as if it were UTC (`asUtc`, in year `y`), for callers that have it. */
export function centralEuropeanWallToUtc(asUtc: number, y: number, dst: boolean | null): number {
  let summer = dst;
  if (summer === null) {
    const winterGuess = asUtc - 3_600_000;
    const slot = y & (YEAR_SLOTS - 1);
    if (summerYears[slot] !== y) {
      summerStarts[slot] = Date.UTC(y, 2, lastSunday(y, 2), 1);
      summerEnds[slot] = Date.UTC(y, 9, lastSunday(y, 9), 1);
      summerYears[slot] = y;
    }
    summer = winterGuess >= summerStarts[slot]! && winterGuess < summerEnds[slot]!;
  }
  return asUtc - (summer ? 7_200_000 : 3_600_000);
}

/** Inverse: UTC ms to Central European wall-clock fields and the DST flag (simulated meters). */
export function utcToCentralEuropean(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; dst: boolean } {
  const y = new Date(ms).getUTCFullYear();
  const start = Date.UTC(y, 2, lastSunday(y, 2), 1);
  const end = Date.UTC(y, 9, lastSunday(y, 9), 1);
  const dst = ms >= start && ms < end;
  const t = new Date(ms + (dst ? 7_200_000 : 3_600_000));
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    dst,
  };
}

/** China Standard Time (UTC+8, no DST): DL/T 645 meter clocks. */
export function chinaToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
}

export function utcToChina(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; weekday: number } {
  const t = new Date(ms + 8 * 3_600_000);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    weekday: t.getUTCDay(),
  };
}
