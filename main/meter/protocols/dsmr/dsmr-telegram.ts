import type { Quantity, Reading } from '../../reading.js';
import { scaleInteger, unitScaleOf, type UnitScale } from '../fixed-point.js';
import { obisKey, obisName } from '../obis-name.js';
import { ShapeRole, type DsmrTelegramShape } from './dsmr-shape.js';
import { DsmrParseMemo, hexAscii, lineEnd } from './dsmr-text.js';
import { parseDecimal, parseDsmrTimestamp } from './dsmr-values.js';

/**
 * Parses the body of one DSMR P1 telegram (NEN-EN-IEC 62056-21 style lines; DSMR 2.2, 4.x, 5.0.x
 * and the Belgian e-MUCS / Luxembourg Smarty variants share it) from '/' up to, not including,
 * '!'. Works on bytes in place: one pass, no regex, strings only for names the model keeps.
 *
 * Lines are `A-B:C.D.E(value*unit)(…)`. Generic rules cover most objects; the metadata objects
 * (time, equipment id, text, version) and the DSMR 2.2 gas line with its value on the next line
 * are special-cased by OBIS code.
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


/**
 * Direct-mapped caches in front of obisName() and unitScaleOf(): every line asks both, and a
 * Map lookup per line was a large share of the parse. Results are the same interned strings and
 * UnitScale objects those functions return; a slot miss just asks them again.
 */
const NAME_SLOTS = 512;
const nameKeys = new Float64Array(NAME_SLOTS).fill(-1);
const nameVals: string[] = new Array<string>(NAME_SLOTS).fill('');
function cachedObisName(key: number, a: number, b: number, c: number, d: number, e: number): string {
  const slot = ((c * 61) ^ (d * 13) ^ e ^ (b * 151) ^ (a * 37)) & (NAME_SLOTS - 1);
  if (nameKeys[slot] === key) return nameVals[slot]!;
  const name = obisName(a, b, c, d, e);
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
      } else raw.push(memo.text(buf, ls, le));
      pendingGas = null;
      continue;
    }
    pendingGas = null;
    // OBIS: A-B:C.D.E, parsed into five small integers without allocating.
    let a = 0, b = 0, c = 0, d = 0, e = 0;
    let fi = 0;
    let p = ls;
    let hasDigit = false;
    let ok = true;
    for (; p < end; p++) {
      const ch = buf[p]!;
      if (ch >= 48 && ch <= 57) {
        const v = ch - 48;
        if (fi === 0) a = a * 10 + v;
        else if (fi === 1) b = b * 10 + v;
        else if (fi === 2) c = c * 10 + v;
        else if (fi === 3) d = d * 10 + v;
        else e = e * 10 + v;
        hasDigit = true;
      } else if ((ch === 0x2d && fi === 0) || (ch === 0x3a && fi === 1) || (ch === 0x2e && (fi === 2 || fi === 3))) {
        if (!hasDigit) ok = false;
        fi++;
        hasDigit = false;
      } else break;
    }
    if (a > 255 || b > 255 || c > 255 || d > 255 || e > 255 || fi !== 4 || !hasDigit) ok = false;
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
      continue;
    }
    const key = obisKey(a, b, c, d, e);
    if (key === K_TIME && g === 1) {
      const t = parseDsmrTimestamp(buf, groupStart[0]!, groupEnd[0]!);
      if (Number.isFinite(t)) {
        meterTime = t;
        shape?.time(groupStart[0]!, groupEnd[0]!);
      } else raw.push(memo.text(buf, ls, le));
      continue;
    }
    if (key === K_EQUIPMENT && g === 1) {
      meterId = memo.equipmentId(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if ((key === K_TEXT || key === K_TEXT_CODE) && g === 1) {
      if (groupEnd[0]! > groupStart[0]!) textMsg = hexAscii(buf, groupStart[0]!, groupEnd[0]!);
      continue;
    }
    if (key === K_VERSION || key === K_VERSION_BE || (c === 96 && d === 1 && a === 0 && b > 0)) {
      raw.push(memo.text(buf, ls, le)); // version and M-Bus device ids: kept verbatim, not quantities
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
          continue;
        }
      }
      if (parseDecimal(buf, vs, star, num)) {
        let value: number;
        let unit: Quantity['unit'];
        let exp = 0;
        if (star < ve) {
          const scale = cachedUnitScale(buf, star + 1, ve);
          if (!scale) {
            raw.push(memo.text(buf, ls, le));
            continue;
          }
          exp = scale.exp;
          value = scaleInteger(num.m, num.d, exp);
          unit = scale.unit;
        } else {
          if (num.d !== 0) {
            raw.push(memo.text(buf, ls, le));
            continue;
          }
          value = num.m;
          unit = 'count';
        }
        const name = cachedObisName(key, a, b, c, d, e);
        quantities.push(Number.isFinite(at) ? { obis: name, value, unit, capturedAt: at } : { obis: name, value, unit });
        let role: ShapeRole = ShapeRole.None;
        if (key === K_IMPORT_T1) (t1 = value), (role = ShapeRole.ImportT1);
        else if (key === K_IMPORT_T2) (t2 = value), (role = ShapeRole.ImportT2);
        else if (key === K_EXPORT_T1) (e1 = value), (role = ShapeRole.ExportT1);
        else if (key === K_EXPORT_T2) (e2 = value), (role = ShapeRole.ExportT2);
        else if (c === 1 && d === 8 && e === 0 && b === 0) hasImportTotal = true;
        else if (c === 2 && d === 8 && e === 0 && b === 0) hasExportTotal = true;
        shape?.quantity(vs, star, g === 2 ? groupStart[0]! : -1, g === 2 ? groupEnd[0]! : -1, name, unit, exp, star === ve, role);
        continue;
      }
    }
    raw.push(memo.text(buf, ls, le));
  }
  // DSMR meters report per tariff only; history relies on the totals, which are exactly the
  // sum of the tariff registers (DSMR 5.0.2 §6.12: T1 + T2 is the whole register).
  if (!hasImportTotal && t1 >= 0 && t2 >= 0) quantities.push({ obis: '1.8.0', value: t1 + t2, unit: 'Wh' });
  if (!hasExportTotal && e1 >= 0 && e2 >= 0) quantities.push({ obis: '2.8.0', value: e1 + e2, unit: 'Wh' });
  const reading: Reading = {
    meterId: meterId || ident,
    protocol: 'dsmr',
    meterTime,
    receivedAt,
    quantities,
    raw,
    ...(textMsg !== undefined ? { text: textMsg } : {}),
  };
  shape?.commit(buf, start, end, reading, hasImportTotal, hasExportTotal);
  return reading;
}
