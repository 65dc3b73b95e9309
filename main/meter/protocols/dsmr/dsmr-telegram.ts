import type { Quantity, Reading } from '../../reading.js';
import { scaleInteger, unitScaleOf, type UnitScale } from '../fixed-point.js';
import { isSignedActivePower } from '../normal-form.js';
import { obisKey, obisKeyF, obisName, OBIS_F_CURRENT } from '../obis-name.js';
import { ShapeRole, type DsmrTelegramShape } from './dsmr-shape.js';
import { DsmrParseMemo, lineEnd } from './dsmr-text.js';
import { parseDecimal, parseDsmrTimestamp } from './dsmr-values.js';

/**
 * Parses the body of one DSMR P1 telegram (NEN-EN-IEC 62056-21 style lines; DSMR 2.2, 4.x, 5.0.x
 * and the Belgian e-MUCS / Luxembourg Smarty variants share it) from '/' up to, not including,
 * '!'. Works on bytes in place: one pass, no regex, strings only for names the model keeps.
 *
 * Lines are `A-B:C.D.E(value*unit)(…)`, the code optionally with its F group (`1-0:1.8.1*255`,
 * EasyMeter and eBZ meters). Generic rules cover most objects; the metadata objects (time,
 * equipment and device ids, text, version) and the DSMR 2.2 gas line with its value on the next
 * line are special-cased by OBIS code. Names and signs follow the normal form (normal-form.ts):
 * F kept unless 255, signed active power split into import and export. A line the parser cannot
 * read is kept in `raw` and counted in `unread`; nothing is dropped silently.
 */
const K_TIME = obisKey(0, 0, 1, 0, 0);
const K_EQUIPMENT = obisKey(0, 0, 96, 1, 1);
const K_TEXT = obisKey(0, 0, 96, 13, 0);
const K_TEXT_CODE = obisKey(0, 0, 96, 13, 1);
const K_VERSION = obisKey(1, 3, 0, 2, 8);
const K_VERSION_BE = obisKey(0, 0, 96, 1, 4);
const K_IMPORT_T1 = obisKey(1, 0, 1, 8, 1);
const K_IMPORT_T2 = obisKey(1, 0, 1, 8, 2);
const K_EXPORT_T1 = obisKey(1, 0, 2, 8, 1);
const K_EXPORT_T2 = obisKey(1, 0, 2, 8, 2);
/** Device ids in plain text (EasyMeter, eBZ, Logarex): "1-0:96.1.0*255(1EBZ0100507409)", "1-0:0.0.0*255(…)". */
const K_DEVICE_ID = obisKey(1, 0, 96, 1, 0);
const K_DEVICE_ID_0 = obisKey(0, 0, 96, 1, 255);
const K_DEVICE_ADDRESS = obisKey(1, 0, 0, 0, 0);

/** The quirk a value "(000439.094kWh)" (no '*' before its unit, early Fluvius firmware) shows. */
export const QUIRK_UNIT_WITHOUT_STAR = 'dsmr-unit-without-star';
const UNIT_WITHOUT_STAR: readonly string[] = [QUIRK_UNIT_WITHOUT_STAR];


/**
 * Direct-mapped caches in front of obisName() and unitScaleOf(): every line asks both, and a
 * Map lookup per line was a large share of the parse. Results are the same interned strings and
 * UnitScale objects those functions return; a slot miss just asks them again.
 */
const NAME_SLOTS = 512;
const nameKeys = new Float64Array(NAME_SLOTS).fill(-1);
const nameVals: string[] = new Array<string>(NAME_SLOTS).fill('');
function cachedObisName(key: number, a: number, b: number, c: number, d: number, e: number, f: number): string {
  const slot = ((c * 61) ^ (d * 13) ^ e ^ (b * 151) ^ (a * 37) ^ (f * 7)) & (NAME_SLOTS - 1);
  if (nameKeys[slot] === key) return nameVals[slot]!;
  const name = obisName(a, b, c, d, e, f);
  nameKeys[slot] = key;
  nameVals[slot] = name;
  return name;
}

const UNIT_SLOTS = 64;
const unitKeys = new Int32Array(UNIT_SLOTS).fill(-1);
const unitVals: (UnitScale | undefined)[] = new Array<UnitScale | undefined>(UNIT_SLOTS).fill(undefined);
/** Units of up to 3 bytes pack exactly into one int (no collisions to confirm); longer ones ask unitScaleOf. */
function cachedUnitScale(buf: Uint8Array, s: number, e: number): UnitScale | undefined {
  const n = e - s;
  if (n > 3) return unitScaleOf(buf, s, e);
  let k = n;
  for (let i = s; i < e; i++) k = (k << 8) | buf[i]!;
  const slot = (k ^ (k >>> 7) ^ (k >>> 13)) & (UNIT_SLOTS - 1);
  if (unitKeys[slot] === k) return unitVals[slot];
  const u = unitScaleOf(buf, s, e);
  unitKeys[slot] = k;
  unitVals[slot] = u;
  return u;
}

/** Value of the group obisGroup read last (a scratch, as `num` is). */
let groupValue = 0;
/** One to three digits at buf[q]: the position after them (their value in groupValue), or −1. */
function obisGroup(buf: Uint8Array, q: number, end: number): number {
  const q0 = q;
  let v = 0;
  while (q < end) {
    const ch = buf[q]!;
    if (ch < 48 || ch > 57) break;
    v = v * 10 + (ch - 48);
    q++;
  }
  if (q === q0 || q - q0 > 3) return -1;
  groupValue = v;
  return q;
}

/** Scratch of parseDsmrTelegram (synchronous, never re-entered): reused, not allocated per telegram. */
const num = { m: 0, d: 0 };
const groupStart: number[] = [];
const groupEnd: number[] = [];

export interface DsmrTelegramInfo {
  /** The identification after '/': XXX5\ident (manufacturer, baud char, type). */
  readonly ident: string;
}

/** Parse '/' … up to (excluding) '!' at buf[start..end). */
export function parseDsmrTelegram(
  buf: Uint8Array,
  start: number,
  end: number,
  receivedAt: number,
  memo = new DsmrParseMemo(),
  shape?: DsmrTelegramShape,
  /** A quirk the framing already showed (an unpadded CRC), named on the reading with the parser's own. */
  frameQuirk?: string,
): Reading {
  shape?.begin(start);
  const quantities: Quantity[] = [];
  const raw: string[] = [];
  let meterId = '';
  let meterTime: number | null = null;
  let textMsg: string | undefined;
  let ident = '';
  let t1 = -1, t2 = -1, e1 = -1, e2 = -1;
  let hasImportTotal = false, hasExportTotal = false;
  /** Plain-text device id (EasyMeter, eBZ), used when there is no hex-coded equipment id. */
  let deviceId = '';
  /** 1-0:0.0.0, the owner's number: the meter id only where no device id names the meter. */
  let deviceAddress = '';
  let unread = 0;
  let quirks: string[] | undefined = frameQuirk === undefined ? undefined : [frameQuirk];
  let unitWithoutStar = false;

  let i = start;
  let pendingGas: { name: string; at: number; exp: number; unit: Quantity['unit'] } | null = null;
  while (i < end) {
    // One pass per line: the OBIS code and value groups are parsed where they stand and the
    // line end is found after them; only lines that fail the grammar are scanned for LF.
    const ls = i;
    const c0 = buf[ls]!;
    if (c0 === 0x0a || c0 === 0x0d) {
      i++;
      continue;
    }
    if (c0 === 0x2f || (c0 === 0x28 && pendingGas)) {
      const eol = lineEnd(buf, ls, end);
      const le = eol > ls && buf[eol - 1] === 0x0d ? eol - 1 : eol;
      i = eol + 1;
      if (c0 === 0x2f) {
        ident = memo.text(buf, ls + 1, le);
        continue;
      }
      // DSMR 2.2: the gas value of 0-n:24.3.0 follows on its own line "(00001.001)".
      const gas = pendingGas!;
      shape?.abandon();
      if (buf[le - 1] === 0x29 && parseDecimal(buf, ls + 1, le - 1, num)) {
        quantities.push({
          obis: gas.name,
          value: scaleInteger(num.m, num.d, gas.exp),
          unit: gas.unit,
          ...(Number.isFinite(gas.at) ? { capturedAt: gas.at } : {}),
        });
      } else {
        raw.push(memo.text(buf, ls, le));
        unread++;
      }
      pendingGas = null;
      continue;
    }
    pendingGas = null;
    // OBIS: A-B:C.D.E[*F], parsed into six small integers without allocating.
    let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
    let fi = 0;
    let p = ls;
    let hasDigit = false;
    let ok = true;
    // The usual code "A-B:C.D.E[*F]" read group by group; anything else by the general loop.
    let q = obisGroup(buf, p, end);
    if (q > 0 && buf[q] === 0x2d && ((a = groupValue), (q = obisGroup(buf, q + 1, end)) > 0) && buf[q] === 0x3a && ((b = groupValue), (q = obisGroup(buf, q + 1, end)) > 0) && buf[q] === 0x2e && ((c = groupValue), (q = obisGroup(buf, q + 1, end)) > 0) && buf[q] === 0x2e && ((d = groupValue), (q = obisGroup(buf, q + 1, end)) > 0)) {
      e = groupValue;
      fi = 4;
      hasDigit = true;
      if (buf[q] === 0x2a) {
        const r = obisGroup(buf, q + 1, end);
        if (r > 0) {
          f = groupValue;
          fi = 5;
          q = r;
        } else ok = false;
      }
      p = q;
    } else {
      a = b = c = d = e = f = 0;
      for (; p < end; p++) {
        const ch = buf[p]!;
        if (ch >= 48 && ch <= 57) {
          const v = ch - 48;
          if (fi === 0) a = a * 10 + v;
          else if (fi === 1) b = b * 10 + v;
          else if (fi === 2) c = c * 10 + v;
          else if (fi === 3) d = d * 10 + v;
          else if (fi === 4) e = e * 10 + v;
          else f = f * 10 + v;
          hasDigit = true;
        } else if ((ch === 0x2d && fi === 0) || (ch === 0x3a && fi === 1) || (ch === 0x2e && (fi === 2 || fi === 3)) || (ch === 0x2a && fi === 4)) {
          if (!hasDigit) ok = false;
          fi++;
          hasDigit = false;
        } else break;
      }
    }
    if (a > 255 || b > 255 || c > 255 || d > 255 || e > 255 || f > 255 || fi < 4 || !hasDigit) ok = false;
    if (fi === 4) f = OBIS_F_CURRENT;
    // The common line in one pass: a plain quantity "(123.456*kWh)", "(0002)" ending the line.
    // Metadata codes (time, ids, text, version, profiles, the DSMR 2.2 gas header) and anything
    // unusual go on to the general grammar below, which reads the same bytes the same way.
    fast: if (ok && buf[p] === 0x28 && c !== 96 && c !== 0 && c < 98 && (c !== 1 || d !== 0) && (c !== 24 || d !== 3)) {
      const vs = p + 1;
      let q = vs;
      if (buf[q] === 0x2d) q++;
      let m = 0;
      let dec = -1;
      let digits = 0;
      for (; q < end; q++) {
        const ch = buf[q]!;
        if (ch >= 48 && ch <= 57) {
          m = m * 10 + (ch - 48);
          digits++;
          if (dec >= 0) dec++;
        } else if (ch === 0x2e && dec < 0) dec = 0;
        else break;
      }
      if (digits === 0 || digits > 15 || q >= end) break fast;
      const numEnd = q;
      let ch = buf[q]!;
      let unitFrom = q;
      if (ch === 0x2a) {
        unitFrom = ++q;
        ch = buf[q]!;
      }
      while (q < end && ch !== 0x29 && ch !== 0x0a && ch !== 0x28) ch = buf[++q]!;
      if (q >= end || ch !== 0x29) break fast;
      const close = q;
      const after = q + 1;
      if (after < end && buf[after] !== 0x0d && buf[after] !== 0x0a) break fast;
      const value0 = buf[vs] === 0x2d ? -m : m;
      const decimals = dec < 0 ? 0 : dec;
      let value: number;
      let unit: Quantity['unit'];
      let exp = 0;
      if (unitFrom < close) {
        if (numEnd === unitFrom && buf[numEnd] === 0x2a) break fast; // "(12*)": not a unit
        const scale = cachedUnitScale(buf, unitFrom, close);
        if (!scale) break fast;
        exp = scale.exp;
        value = scaleInteger(value0, decimals, exp);
        unit = scale.unit;
        if (numEnd === unitFrom && !unitWithoutStar) {
          unitWithoutStar = true;
          (quirks ??= []).push(QUIRK_UNIT_WITHOUT_STAR);
        }
      } else {
        if (decimals !== 0 || numEnd !== close) break fast;
        value = value0;
        unit = 'count';
      }
      if (unit === 'W' && (isSignedActivePower(c, d) || (value < 0 && d === 7 && (c === 1 || c === 21 || c === 41 || c === 61)))) break fast;
      i = after < end && buf[after] === 0x0d ? after + 1 : after;
      if (i < end && buf[i] === 0x0a) i++;
      const key = obisKeyF(a, b, c, d, e, f);
      const name = cachedObisName(key, a, b, c, d, e, f);
      quantities.push({ obis: name, value, unit });
      let role: ShapeRole = ShapeRole.None;
      if (key === K_IMPORT_T1) (t1 = value), (role = ShapeRole.ImportT1);
      else if (key === K_IMPORT_T2) (t2 = value), (role = ShapeRole.ImportT2);
      else if (key === K_EXPORT_T1) (e1 = value), (role = ShapeRole.ExportT1);
      else if (key === K_EXPORT_T2) (e2 = value), (role = ShapeRole.ExportT2);
      else if (c === 1 && d === 8 && e === 0 && b === 0 && a === 1 && f === OBIS_F_CURRENT) hasImportTotal = true;
      else if (c === 2 && d === 8 && e === 0 && b === 0 && a === 1 && f === OBIS_F_CURRENT) hasExportTotal = true;
      if (shape?.recording) shape.quantity(vs, numEnd, -1, -1, name, unit, exp, unit === 'count', role, '', unit === 'W' && d === 7 && (c === 1 || c === 21 || c === 41 || c === 61));
      continue;
    }
    // value groups "(…)(…)" up to the line end
    let g = 0;
    while (ok && p < end && buf[p] === 0x28) {
      let close = p + 1;
      while (close < end && buf[close] !== 0x29 && buf[close] !== 0x0a) close++;
      if (close >= end || buf[close] !== 0x29) {
        ok = false;
        break;
      }
      groupStart[g] = p + 1;
      groupEnd[g] = close;
      g++;
      p = close + 1;
    }
    let le = p;
    if (ok && g > 0 && (p === end || buf[p] === 0x0d || buf[p] === 0x0a)) {
      i = buf[p] === 0x0d ? p + 1 : p;
      if (i < end && buf[i] === 0x0a) i++;
    } else {
      const eol = lineEnd(buf, p, end);
      le = eol > ls && buf[eol - 1] === 0x0d ? eol - 1 : eol;
      i = eol + 1;
      raw.push(memo.text(buf, ls, le));
      unread++;
      continue;
    }
    const key = obisKeyF(a, b, c, d, e, f);
    if (key === K_TIME && g === 1) {
      const t = parseDsmrTimestamp(buf, groupStart[0]!, groupEnd[0]!);
      if (Number.isFinite(t)) {
        meterTime = t;
        shape?.time(groupStart[0]!, groupEnd[0]!);
      } else {
        raw.push(memo.text(buf, ls, le));
        unread++;
      }
      continue;
    }
    if (key === K_EQUIPMENT && g === 1) {
      meterId = memo.equipmentId(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if ((key === K_TEXT || key === K_TEXT_CODE) && g === 1) {
      if (groupEnd[0]! > groupStart[0]!) textMsg = memo.hexText(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if ((key === K_DEVICE_ID || key === K_DEVICE_ID_0) && g === 1) {
      if (!deviceId && groupEnd[0]! > groupStart[0]!) deviceId = memo.text(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if (key === K_DEVICE_ADDRESS && g === 1) {
      if (!deviceAddress && groupEnd[0]! > groupStart[0]!) deviceAddress = memo.text(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if (key === K_VERSION || key === K_VERSION_BE || (c === 96 && d === 1 && a === 0 && b > 0) || ((c === 99 || c === 98) && f === OBIS_F_CURRENT)) {
      // Version, M-Bus device ids, event logs and billing-period profiles (C = 98, 99): kept
      // verbatim, not quantities, and not unread either.
      raw.push(memo.text(buf, ls, le));
      continue;
    }
    if (c === 24 && d === 3 && e === 0 && g === 6) {
      // DSMR 2.2 gas: (capture time)(status)(period)(count)(obis)(unit) then "(value)" next line.
      const unit = unitScaleOf(buf, groupStart[5]!, groupEnd[5]!);
      if (unit) {
        pendingGas = {
          name: obisName(a, b, 24, 2, 1),
          at: parseDsmrTimestamp(buf, groupStart[0]!, groupEnd[0]!),
          exp: unit.exp,
          unit: unit.unit,
        };
        continue;
      }
    }
    // Generic: the last group is the value "(n*unit)" or "(n)"; a single group before it, if
    // any, is the capture time (M-Bus values, e-MUCS maximum demand).
    if (g === 1 || g === 2) {
      const vs = groupStart[g - 1]!;
      const ve = groupEnd[g - 1]!;
      let star = vs;
      while (star < ve && buf[star] !== 0x2a) star++;
      let at = NaN;
      if (g === 2) {
        at = parseDsmrTimestamp(buf, groupStart[0]!, groupEnd[0]!);
        if (!Number.isFinite(at)) {
          raw.push(memo.text(buf, ls, le));
          unread++;
          continue;
        }
      }
      // The number ends at '*', or (early Fluvius firmware, "(000439.094kWh)") where letters begin.
      let numEnd = star;
      let unitFrom = star + 1;
      if (star === ve) {
        let u = vs;
        if (u < ve && buf[u] === 0x2d) u++;
        while (u < ve && ((buf[u]! >= 48 && buf[u]! <= 57) || buf[u] === 0x2e)) u++;
        if (u > vs && u < ve && ((buf[u]! | 0x20) >= 0x61 && (buf[u]! | 0x20) <= 0x7a)) {
          numEnd = u;
          unitFrom = u;
        }
      }
      if (parseDecimal(buf, vs, numEnd, num)) {
        let value: number;
        let unit: Quantity['unit'];
        let exp = 0;
        if (numEnd < ve) {
          const scale = cachedUnitScale(buf, unitFrom, ve);
          if (!scale) {
            raw.push(memo.text(buf, ls, le));
            unread++;
            continue;
          }
          exp = scale.exp;
          value = scaleInteger(num.m, num.d, exp);
          unit = scale.unit;
          if (numEnd === unitFrom && !unitWithoutStar) {
            unitWithoutStar = true;
            (quirks ??= []).push(QUIRK_UNIT_WITHOUT_STAR);
          }
        } else {
          if (num.d !== 0) {
            raw.push(memo.text(buf, ls, le));
            unread++;
            continue;
          }
          value = num.m;
          unit = 'count';
        }
        const name = cachedObisName(key, a, b, c, d, e, f);
        const atFrom = g === 2 ? groupStart[0]! : -1;
        const atTo = g === 2 ? groupEnd[0]! : -1;
        if (unit === 'W' && isSignedActivePower(c, d)) {
          // Signed active power (eBZ, EasyMeter "16.7.0"): the normal form's two directions.
          const ci = c === 16 ? 1 : c - 15;
          const ce = c === 16 ? 2 : c - 14;
          const imp = cachedObisName(obisKeyF(a, b, ci, d, e, f), a, b, ci, d, e, f);
          const ex = cachedObisName(obisKeyF(a, b, ce, d, e, f), a, b, ce, d, e, f);
          const pos = value > 0 ? value : 0;
          const neg = value < 0 ? -value : 0;
          if (Number.isFinite(at)) quantities.push({ obis: imp, value: pos, unit, capturedAt: at }, { obis: ex, value: neg, unit, capturedAt: at });
          else quantities.push({ obis: imp, value: pos, unit }, { obis: ex, value: neg, unit });
          shape?.quantity(vs, numEnd, atFrom, atTo, imp, unit, exp, false, ShapeRole.None, ex);
          continue;
        }
        const importPower = unit === 'W' && d === 7 && (c === 1 || c === 21 || c === 41 || c === 61);
        if (importPower && value < 0) {
          // A negative import power (EasyMeter Q3D sends signed 1.7.0/21.7.0): it is export.
          const ex = obisName(a, b, c + 1, d, e, f);
          if (Number.isFinite(at)) quantities.push({ obis: name, value: 0, unit, capturedAt: at }, { obis: ex, value: -value, unit, capturedAt: at });
          else quantities.push({ obis: name, value: 0, unit }, { obis: ex, value: -value, unit });
          shape?.abandon();
          continue;
        }
        quantities.push(Number.isFinite(at) ? { obis: name, value, unit, capturedAt: at } : { obis: name, value, unit });
        let role: ShapeRole = ShapeRole.None;
        if (key === K_IMPORT_T1) (t1 = value), (role = ShapeRole.ImportT1);
        else if (key === K_IMPORT_T2) (t2 = value), (role = ShapeRole.ImportT2);
        else if (key === K_EXPORT_T1) (e1 = value), (role = ShapeRole.ExportT1);
        else if (key === K_EXPORT_T2) (e2 = value), (role = ShapeRole.ExportT2);
        else if (c === 1 && d === 8 && e === 0 && b === 0 && a === 1 && f === OBIS_F_CURRENT) hasImportTotal = true;
        else if (c === 2 && d === 8 && e === 0 && b === 0 && a === 1 && f === OBIS_F_CURRENT) hasExportTotal = true;
        shape?.quantity(vs, numEnd, atFrom, atTo, name, unit, exp, numEnd === ve, role, '', importPower);
        continue;
      }
    }
    raw.push(memo.text(buf, ls, le));
    unread++;
  }
  // DSMR meters report per tariff only; history relies on the totals, which are exactly the
  // sum of the tariff registers (DSMR 5.0.2 §6.12: T1 + T2 is the whole register).
  if (!hasImportTotal && t1 >= 0 && t2 >= 0) quantities.push({ obis: '1.8.0', value: t1 + t2, unit: 'Wh' });
  if (!hasExportTotal && e1 >= 0 && e2 >= 0) quantities.push({ obis: '2.8.0', value: e1 + e2, unit: 'Wh' });
  const reading: Reading = {
    meterId: meterId || deviceId || deviceAddress || ident,
    protocol: 'dsmr',
    meterTime,
    receivedAt,
    quantities,
    raw,
    ...(textMsg !== undefined ? { text: textMsg } : {}),
    ...(unread ? { unread } : {}),
    ...(quirks ? { quirks } : {}),
  };
  shape?.commit(buf, start, end, reading, hasImportTotal, hasExportTotal, unitWithoutStar ? UNIT_WITHOUT_STAR : undefined);
  return reading;
}
