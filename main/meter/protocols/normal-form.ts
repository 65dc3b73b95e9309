import type { Quantity, QuantityUnit } from '../reading.js';
import { obisName, OBIS_F_CURRENT } from './obis-name.js';

/**
 * The one rule for signed quantities, across protocols (README.md, "Normal form"):
 *
 * Instantaneous active power is never signed. A meter that sends a signed value (OBIS C = 16
 * "sum Li active power (import − export)", or 36/56/76 for L1/L2/L3) has it split into the two
 * non-negative directions DSMR meters send natively and history reads: import C = 1/21/41/61,
 * export C = 2/22/42/62, one of them 0. Currents (C = 11/31/51/71) are magnitudes; the direction
 * is in the power. Any other signed quantity (a net energy register, 16.8.0) keeps its sign and
 * its name.
 */
const SPLIT_IMPORT = new Int16Array(256).fill(-1);
const SPLIT_EXPORT = new Int16Array(256).fill(-1);
for (const [signed, imp, exp] of [
  [16, 1, 2],
  [36, 21, 22],
  [56, 41, 42],
  [76, 61, 62],
] as const) {
  SPLIT_IMPORT[signed] = imp;
  SPLIT_EXPORT[signed] = exp;
}

/** C groups of signed active power that the normal form splits (when D = 7, instantaneous). */
export function isSignedActivePower(c: number, d: number): boolean {
  return d === 7 && SPLIT_IMPORT[c]! >= 0;
}

const CURRENT_C = new Set([11, 31, 51, 71]);

/**
 * Push one decoded value in normal form: split signed active power, make currents magnitudes,
 * name by A-B:C.D.E*F. `value` is already an integer in `unit`.
 */
export function pushNormal(
  out: Quantity[],
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  value: number,
  unit: QuantityUnit,
  capturedAt?: number,
): void {
  if (d === 7 && unit === 'W' && SPLIT_IMPORT[c]! >= 0) {
    const imp = obisName(a, b, SPLIT_IMPORT[c]!, d, e, f);
    const exp = obisName(a, b, SPLIT_EXPORT[c]!, d, e, f);
    const pos = value > 0 ? value : 0;
    const neg = value < 0 ? -value : 0;
    if (capturedAt === undefined) out.push({ obis: imp, value: pos, unit }, { obis: exp, value: neg, unit });
    else out.push({ obis: imp, value: pos, unit, capturedAt }, { obis: exp, value: neg, unit, capturedAt });
    return;
  }
  const v = d === 7 && unit === 'mA' && CURRENT_C.has(c) && value < 0 ? -value : value;
  const obis = obisName(a, b, c, d, e, f);
  out.push(capturedAt === undefined ? { obis, value: v, unit } : { obis, value: v, unit, capturedAt });
}

/** Parse a normal-form name back into its groups (tests, the quirks table). */
export function obisGroups(name: string): { a: number; b: number; c: number; d: number; e: number; f: number } | null {
  const m = /^(?:(\d+)-(\d+):)?(\d+)\.(\d+)\.(\d+)(?:\*(\d+))?$/.exec(name);
  if (!m) return null;
  return {
    a: m[1] === undefined ? 1 : Number(m[1]),
    b: m[2] === undefined ? 0 : Number(m[2]),
    c: Number(m[3]),
    d: Number(m[4]),
    e: Number(m[5]),
    f: m[6] === undefined ? OBIS_F_CURRENT : Number(m[6]),
  };
}
