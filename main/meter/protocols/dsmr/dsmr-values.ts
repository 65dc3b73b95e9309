import { centralEuropeanWallToUtc } from '../meter-time.js';

/**
 * The two value grammars of a DSMR line: decimals ("-0123.456") and timestamps
 * ("YYMMDDhhmmss" + 'S'/'W'). Shared by the line parser and the shape fast path, which must
 * accept exactly the same bytes.
 */

/** Scratch result of parseDecimal: mantissa and number of decimals. */
export interface Decimal {
  m: number;
  d: number;
}

/** A decimal "-0123.456" at buf[s..e) into `out`; false if the bytes are not one. */
export function parseDecimal(buf: Uint8Array, s: number, e: number, out: Decimal): boolean {
  let i = s;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
  }
  let m = 0;
  let d = -1;
  let digits = 0;
  for (; i < e; i++) {
    const c = buf[i]!;
    if (c === 0x2e) {
      if (d >= 0) return false;
      d = 0;
    } else if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (d >= 0) d++;
    } else return false;
  }
  if (digits === 0 || digits > 15) return false;
  out.m = neg ? -m : m;
  out.d = d < 0 ? 0 : d;
  return true;
}

/**
 * Every telegram carries one or two timestamps of the same day; Date.UTC per call was a visible
 * share of the parse. Caches Date.UTC of the days seen last (a pure function of y, mo, d), a few
 * slots so meters read in turn, each on its own day, do not evict one another.
 */
const DAY_SLOTS = 16;
const dayKeys = new Int32Array(DAY_SLOTS).fill(-1);
const dayMs = new Float64Array(DAY_SLOTS);
function utcDayMs(y: number, mo: number, d: number): number {
  const key = (y * 100 + mo) * 100 + d;
  const slot = (key ^ (key >>> 4)) & (DAY_SLOTS - 1);
  if (dayKeys[slot] !== key) {
    dayMs[slot] = Date.UTC(y, mo - 1, d);
    dayKeys[slot] = key;
  }
  return dayMs[slot]!;
}

function twoDigits(buf: Uint8Array, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** "YYMMDDhhmmss" + optional 'S'/'W' at buf[s..e), as UTC ms. NaN if malformed. */
export function parseDsmrTimestamp(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len !== 12 && len !== 13) return NaN;
  const y = twoDigits(buf, s), mo = twoDigits(buf, s + 2), d = twoDigits(buf, s + 4);
  const h = twoDigits(buf, s + 6), mi = twoDigits(buf, s + 8), sec = twoDigits(buf, s + 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  // No flag (DSMR 2.2/3): the EU rule decides, as centralEuropeanToUtc does, from the cached day.
  if (len === 12) return centralEuropeanWallToUtc(utcDayMs(2000 + y, mo, d) + h * 3_600_000 + mi * 60_000 + sec * 1000, 2000 + y, null);
  const flag = buf[s + 12];
  if (flag !== 0x53 && flag !== 0x57) return NaN;
  // 'S' = summer (CEST, UTC+2), 'W' = winter (CET, UTC+1): DSMR 5.0.2 §6.12. Same sum as
  // centralEuropeanToUtc with the flag, without its Date.UTC per call.
  return utcDayMs(2000 + y, mo, d) + h * 3_600_000 + mi * 60_000 + sec * 1000 - (flag === 0x53 ? 7_200_000 : 3_600_000);
}
