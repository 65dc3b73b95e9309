import type { Quantity, QuantityUnit, Reading } from '../../reading.js';
import { parseDecimal, type Decimal } from '../dsmr/dsmr-values.js';
import { scaleInteger, unitScaleOf } from '../fixed-point.js';
import { centralEuropeanToUtc } from '../meter-time.js';
import { pushNormal } from '../normal-form.js';
import { obisName, OBIS_F_CURRENT } from '../obis-name.js';

/**
 * The data lines of an IEC 62056-21 readout (§6.5): `ID(value*unit)`, several data sets per
 * line allowed ("6.8(0029.055*MWh)6.26(01589.28*m3)9.21(00010213)", heat meters). ID is an OBIS
 * code in reduced form (IEC 62056-61): "1.8.0", "1-0:1.8.0*255", "32.7" (E = 0), "6.8*01" (a
 * billing period: F = 1), letters for the service groups (C = 96, F = 97, L = 98, P = 99: "C.1.0",
 * "F.F"). Names come out in the normal form (normal-form.ts): "32.7.0", "6.8.0*1", "97.97.0"; an
 * ID without "A-B:" is read as the default 1-0. Load profiles (P.01, programming mode R5) come as
 * a header `P.01(YYMMDDhhmm)(status)(period min)(channels)(id)(unit)…` followed by one line of
 * values per interval.
 *
 * Parsed on bytes, in place (7E1 bytes may carry their parity bit: masked). A data set whose
 * value cannot be read (a date, several values "088*C&082*C", an unknown unit) is kept in `raw`
 * and counted in `unread`; an empty value "()" carries nothing and is neither.
 */

/** Scratch of one ID: the groups, or null. Written by readId, never re-entered. */
const id = { a: 1, b: 0, c: 0, d: 0, e: 0, f: OBIS_F_CURRENT, profile: false };
const num: Decimal = { m: 0, d: 0 };
const LETTER_GROUP: Record<number, number> = { 0x43: 96, 0x46: 97, 0x4c: 98, 0x50: 99 };

const at = (buf: Uint8Array, i: number) => buf[i]! & 0x7f;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Read an ID at buf[from..to) (to = its '('): true and `id` filled if it is an OBIS code in
 * reduced form this model can name.
 */
function readId(buf: Uint8Array, from: number, to: number): boolean {
  let p = from;
  let a = 1, b = 0;
  // Optional "A-B:".
  let q = p;
  while (q < to && isDigit(at(buf, q))) q++;
  if (q > p && q < to && at(buf, q) === 0x2d) {
    let v = 0;
    for (let k = p; k < q; k++) v = v * 10 + at(buf, k) - 48;
    a = v;
    let r = q + 1;
    let w = 0;
    const r0 = r;
    while (r < to && isDigit(at(buf, r))) w = w * 10 + at(buf, r++) - 48;
    if (r === r0 || r >= to || at(buf, r) !== 0x3a || r - r0 > 3 || q - p > 3) return false;
    b = w;
    p = r + 1;
  }
  const groups = [0, 0, 0];
  let n = 0;
  let profile = false;
  for (;;) {
    if (n === 3 || p >= to) return false;
    const c = at(buf, p);
    if (isDigit(c)) {
      let v = 0;
      const p0 = p;
      while (p < to && isDigit(at(buf, p))) v = v * 10 + at(buf, p++) - 48;
      if (p - p0 > 3 || v > 255) return false;
      groups[n++] = v;
    } else {
      const g = LETTER_GROUP[c];
      if (g === undefined) return false;
      if (c === 0x50 && n === 0) profile = true;
      groups[n++] = g;
      p++;
    }
    if (p === to) break;
    const sep = at(buf, p);
    if (sep === 0x2e) {
      p++;
      continue;
    }
    if (sep === 0x2a || sep === 0x26) break;
    return false;
  }
  if (n < 2 || a > 255 || b > 255) return false;
  let f = OBIS_F_CURRENT;
  if (p < to) {
    // "*F" (or "&F", some meters): the billing period or history index.
    p++;
    let v = 0;
    const p0 = p;
    while (p < to && isDigit(at(buf, p))) v = v * 10 + at(buf, p++) - 48;
    if (p !== to || p === p0 || p - p0 > 3 || v > 255) return false;
    f = v;
  }
  id.a = a;
  id.b = b;
  id.c = groups[0]!;
  id.d = groups[1]!;
  id.e = n === 3 ? groups[2]! : 0;
  id.f = f;
  id.profile = profile;
  return true;
}

/** An OBIS code in the reduced form a data set's ID takes ("1.8.0", "1-0:1.8.0*255", "F.F"). */
export function isDataSetId(text: string): boolean {
  const b = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) b[k] = text.charCodeAt(k) & 0xff;
  return readId(b, 0, b.length);
}

/** Two ASCII digits at buf[i], or -1. */
function two(buf: Uint8Array, i: number): number {
  const x = at(buf, i) - 48, y = at(buf, i + 1) - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

function ceTime(buf: Uint8Array, date: number, time: number, timeLen: number): number {
  return centralEuropeanToUtc(2000 + two(buf, date), two(buf, date + 2), two(buf, date + 4), two(buf, time), two(buf, time + 2), timeLen >= 6 ? two(buf, time + 4) : 0, null);
}

function text(buf: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) out += String.fromCharCode(at(buf, k));
  return out;
}

interface Profile {
  start: number;
  periodMs: number;
  ids: { a: number; b: number; c: number; d: number; e: number; f: number }[];
  units: { unit: QuantityUnit; exp: number }[];
  row: number;
}

/**
 * The value "v*unit" (or "v", or with `unit` given by a profile header) at buf[from..to) as a
 * quantity pushed in normal form; false if it cannot be read.
 */
function pushValue(
  out: Quantity[],
  buf: Uint8Array,
  from: number,
  to: number,
  g: { a: number; b: number; c: number; d: number; e: number; f: number },
  profileUnit: { unit: QuantityUnit; exp: number } | null,
  capturedAt?: number,
): boolean {
  let star = from;
  while (star < to && at(buf, star) !== 0x2a) star++;
  if (!parseDecimalMasked(buf, from, star)) return false;
  let unit: QuantityUnit;
  let value: number;
  if (star < to) {
    const scale = unitAt(buf, star + 1, to);
    if (!scale) return false;
    unit = scale.unit;
    value = scaleInteger(num.m, num.d, scale.exp);
  } else if (profileUnit) {
    unit = profileUnit.unit;
    value = scaleInteger(num.m, num.d, profileUnit.exp);
  } else {
    if (num.d !== 0) return false;
    unit = 'count';
    value = num.m;
  }
  if (!Number.isSafeInteger(value)) return false;
  pushNormal(out, g.a, g.b, g.c, g.d, g.e, g.f, value, unit, capturedAt);
  return true;
}

/** Parity bits are rare: the plain bytes are read where they stand, masked ones from a copy. */
function hasParity(buf: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k]! & 0x80) return true;
  return false;
}

function masked(buf: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let k = from; k < to; k++) out[k - from] = buf[k]! & 0x7f;
  return out;
}

function parseDecimalMasked(buf: Uint8Array, from: number, to: number): boolean {
  return hasParity(buf, from, to) ? parseDecimal(masked(buf, from, to), 0, to - from, num) : parseDecimal(buf, from, to, num);
}

function unitAt(buf: Uint8Array, from: number, to: number): ReturnType<typeof unitScaleOf> {
  return hasParity(buf, from, to) ? unitScaleOf(masked(buf, from, to), 0, to - from) : unitScaleOf(buf, from, to);
}

export interface IecBlockResult {
  readonly reading: Reading;
  /** Lines of the block that have the data-line grammar `ID(…)…` or `(…)…` (§6.5). */
  readonly dataLines: number;
}

/** Parse the body of a data block, buf[from..to) between STX and ETX. */
export function parseIecDataBlock(buf: Uint8Array, from: number, to: number, fallbackId: string, receivedAt: number): IecBlockResult {
  const quantities: Quantity[] = [];
  const raw: string[] = [];
  let unread = 0;
  let dataLines = 0;
  let meterId = '';
  let date = -1;
  let time = -1;
  let timeLen = 0;
  let profile: Profile | null = null;
  let i = from;
  while (i < to) {
    // One line: buf[ls..le), CR/LF stripped.
    let le = i;
    while (le < to && at(buf, le) !== 0x0a && at(buf, le) !== 0x0d) le++;
    const ls = i;
    i = le;
    while (i < to && (at(buf, i) === 0x0a || at(buf, i) === 0x0d)) i++;
    let s = ls;
    let e = le;
    while (s < e && at(buf, s) === 0x20) s++;
    while (e > s && at(buf, e - 1) === 0x20) e--;
    if (s === e || (e - s === 1 && at(buf, s) === 0x21)) continue;
    // The line's data sets, "ID(…)(…)…" repeated; a line of groups alone is a profile row.
    let p = s;
    let lineOk = true;
    let idsOk = false;
    const rowProfile: Profile | null = at(buf, s) === 0x28 ? profile : null;
    if (at(buf, s) !== 0x28) profile = null;
    let column = 0;
    while (p < e) {
      // "…0.0(00010213)!": the end marker may close the last data line itself.
      if (p === e - 1 && at(buf, p) === 0x21) break;
      const idFrom = p;
      while (p < e && at(buf, p) !== 0x28) p++;
      const idTo = p;
      if (p >= e) {
        lineOk = false;
        break;
      }
      // The groups after the ID.
      const g0 = p;
      let groups = 0;
      while (p < e && at(buf, p) === 0x28) {
        let close = p + 1;
        while (close < e && at(buf, close) !== 0x29 && at(buf, close) !== 0x28) close++;
        if (close >= e || at(buf, close) !== 0x29) break;
        groups++;
        p = close + 1;
      }
      if (groups === 0 || (p < e && at(buf, p) === 0x28)) {
        lineOk = false;
        break;
      }
      if (idFrom === idTo) {
        // Groups without an ID: the values of a load-profile row, or the meter's "(ERROR)".
        if (idFrom !== s) {
          lineOk = false;
          break;
        }
        for (let k = g0; k < p; ) {
          const close = indexOf(buf, 0x29, k + 1, p);
          const pr = rowProfile;
          if (pr && column < pr.ids.length && close > k + 1 && Number.isFinite(pr.start)) {
            const capturedAt = pr.start + (pr.row + 1) * pr.periodMs;
            if (!pushValue(quantities, buf, k + 1, close, pr.ids[column]!, pr.units[column]!, capturedAt)) {
              raw.push(text(buf, k, close + 1));
              unread++;
            }
          } else if (close > k + 1) {
            raw.push(text(buf, k, close + 1));
            unread++;
          }
          column++;
          k = close + 1;
        }
        if (rowProfile) rowProfile.row++;
        idsOk = true;
        continue;
      }
      if (!readId(buf, idFrom, idTo)) {
        // Kept and counted; a line counts as a data line only if one of its IDs is an OBIS
        // code (the weak 8-bit BCC passes stray noise, which must not make a readout).
        raw.push(text(buf, idFrom, p));
        unread++;
        continue;
      }
      idsOk = true;
      if (id.profile && groups >= 4) {
        profile = profileHeader(buf, g0, p);
        continue;
      }
      if (groups !== 1) {
        raw.push(text(buf, idFrom, p));
        unread++;
        continue;
      }
      const vs = g0 + 1;
      const ve = p - 1;
      const { c, d, e: ee, f } = id;
      if (f === OBIS_F_CURRENT && id.a <= 1 && id.b === 0) {
        if ((c === 96 && d === 1 && (ee === 0 || ee === 255)) || (c === 0 && d === 0 && ee === 0)) {
          if (!meterId && ve > vs) meterId = text(buf, vs, ve);
          continue;
        }
        if (c === 0 && d === 9 && ee === 1 && ve - vs === 6) {
          time = vs;
          timeLen = 6;
          continue;
        }
        if (c === 0 && d === 9 && ee === 2 && (ve - vs === 6 || ve - vs === 7)) {
          date = ve - 6;
          continue;
        }
      }
      if (ve === vs) continue; // an empty value "()": nothing to read, nothing lost
      if (!pushValue(quantities, buf, vs, ve, id, null)) {
        raw.push(text(buf, idFrom, p));
        unread++;
      }
    }
    if (lineOk) {
      if (idsOk) dataLines++;
    } else {
      raw.push(text(buf, s, e));
      unread++;
    }
  }
  let meterTime: number | null = null;
  if (date >= 0 && time >= 0) {
    const t = ceTime(buf, date, time, timeLen);
    if (Number.isFinite(t)) meterTime = t;
  }
  const reading: Reading = {
    meterId: meterId || fallbackId,
    protocol: 'iec62056-21',
    meterTime,
    receivedAt,
    quantities,
    raw,
    ...(unread ? { unread } : {}),
  };
  return { reading, dataLines };
}

function indexOf(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let k = from; k < to; k++) if (at(buf, k) === byte) return k;
  return to;
}

/** "P.01(1YYMMDDhhmm)(status)(period)(channels)(id)(unit)…" at the groups buf[from..to). */
function profileHeader(buf: Uint8Array, from: number, to: number): Profile {
  const groups: [number, number][] = [];
  for (let k = from; k < to; ) {
    const close = indexOf(buf, 0x29, k + 1, to);
    groups.push([k + 1, close]);
    k = close + 1;
  }
  const [t0s, t0e] = groups[0]!;
  let ts = t0s;
  const len = t0e - t0s;
  if (len === 11 || len === 13) ts++; // a leading season/century digit
  const tl = t0e - ts;
  let start = NaN;
  if (tl === 10 || tl === 12) {
    let digits = true;
    for (let k = ts; k < t0e; k++) if (!isDigit(at(buf, k))) digits = false;
    if (digits) start = ceTime(buf, ts, ts + 6, tl - 6);
  }
  const period = groups[2] && parseDecimalMasked(buf, groups[2][0], groups[2][1]) && num.d === 0 ? num.m : NaN;
  const channels = groups[3] && parseDecimalMasked(buf, groups[3][0], groups[3][1]) && num.d === 0 ? num.m : 0;
  const ids: Profile['ids'] = [];
  const units: Profile['units'] = [];
  for (let k = 0; k < channels && k < 64; k++) {
    const g = groups[4 + 2 * k];
    const u = groups[5 + 2 * k];
    if (!g || !u || !readId(buf, g[0], g[1])) break;
    const scale = unitAt(buf, u[0], u[1]);
    if (!scale) break;
    ids.push({ a: id.a, b: id.b, c: id.c, d: id.d, e: id.e, f: id.f });
    units.push({ unit: scale.unit, exp: scale.exp });
  }
  return { start, periodMs: period * 60_000, ids, units, row: 0 };
}

/** The name an ID gets in the normal form (tests, the CLI): "32.7" → "32.7.0", "F.F" → "97.97.0". */
export function iecIdName(text: string): string | null {
  if (!isDataSetId(text)) return null;
  return obisName(id.a, id.b, id.c, id.d, id.e, id.f);
}
