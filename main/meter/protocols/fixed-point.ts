import type { QuantityUnit } from '../reading.js';

/**
 * Meters print decimals ("001234.567*kWh", "220.1*V"); the reading model stores integers in a
 * smaller unit (Wh, mV …). Conversion is integer arithmetic on the digits, never via a float
 * parse, so 123456.789 kWh is exactly 123456789 Wh.
 */
export interface UnitScale {
  /** The meter's unit as printed ("kWh"). */
  readonly name: string;
  readonly unit: QuantityUnit;
  /** Power of ten from the meter's unit to ours (kWh → Wh: 3). */
  readonly exp: number;
}

const SCALES: Record<string, UnitScale> = {
  kWh: { name: 'kWh', unit: 'Wh', exp: 3 },
  Wh: { name: 'Wh', unit: 'Wh', exp: 0 },
  MWh: { name: 'MWh', unit: 'Wh', exp: 6 },
  kW: { name: 'kW', unit: 'W', exp: 3 },
  W: { name: 'W', unit: 'W', exp: 0 },
  kvarh: { name: 'kvarh', unit: 'varh', exp: 3 },
  varh: { name: 'varh', unit: 'varh', exp: 0 },
  kvar: { name: 'kvar', unit: 'var', exp: 3 },
  var: { name: 'var', unit: 'var', exp: 0 },
  kVA: { name: 'kVA', unit: 'VA', exp: 3 },
  VA: { name: 'VA', unit: 'VA', exp: 0 },
  V: { name: 'V', unit: 'mV', exp: 3 },
  A: { name: 'A', unit: 'mA', exp: 3 },
  Hz: { name: 'Hz', unit: 'mHz', exp: 3 },
  m3: { name: 'm3', unit: 'dm3', exp: 3 },
  GJ: { name: 'GJ', unit: 'kJ', exp: 6 },
  MJ: { name: 'MJ', unit: 'kJ', exp: 3 },
  s: { name: 's', unit: 's', exp: 0 },
};

/** Byte-keyed lookup (a 31-bit hash of the unit's bytes and length) so decoders need no string. */
const byKey = new Map<number, UnitScale>();
export function unitKey(bytes: Uint8Array, start: number, end: number): number {
  let k = end - start;
  for (let i = start; i < end; i++) k = (Math.imul(k, 131) + bytes[i]!) | 0;
  return k;
}
for (const [name, scale] of Object.entries(SCALES)) {
  const b = new TextEncoder().encode(name);
  byKey.set(unitKey(b, 0, b.length), scale);
}

export function unitScaleOf(bytes: Uint8Array, start: number, end: number): UnitScale | undefined {
  if (end - start > 6) return undefined;
  const s = byKey.get(unitKey(bytes, start, end));
  // Confirm the bytes: a hash collision must not turn an unknown unit into a known one.
  return s && s.name.length === end - start && sameAscii(s.name, bytes, start) ? s : undefined;
}

function sameAscii(name: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

export function unitScaleByName(name: string): UnitScale | undefined {
  return SCALES[name];
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/** mantissa × 10^(exp − decimals) as an integer (rounded half away from zero if exp < decimals). */
export function scaleInteger(mantissa: number, decimals: number, exp: number): number {
  const shift = exp - decimals;
  if (shift >= 0) return mantissa * (POW10[shift] ?? 10 ** shift);
  const div = POW10[-shift] ?? 10 ** -shift;
  const q = Math.trunc(mantissa / div);
  const r = mantissa - q * div;
  return 2 * Math.abs(r) >= div ? q + Math.sign(mantissa) : q;
}
