import type { QuantityUnit } from '../reading.js';

/**
 * Meters print decimals ("001234.567*kWh", "220.1*V"); the reading model stores integers in a
 * smaller unit (Wh, mV …). Conversion is integer arithmetic on the digits, never via a float
 * parse, so 123456.789 kWh is exactly 123456789 Wh.
 */
export interface UnitScale {
  readonly unit: QuantityUnit;
  /** Power of ten from the meter's unit to ours (kWh → Wh: 3). */
  readonly exp: number;
}

const SCALES: Record<string, UnitScale> = {
  kWh: { unit: 'Wh', exp: 3 },
  Wh: { unit: 'Wh', exp: 0 },
  MWh: { unit: 'Wh', exp: 6 },
  kW: { unit: 'W', exp: 3 },
  W: { unit: 'W', exp: 0 },
  kvarh: { unit: 'varh', exp: 3 },
  varh: { unit: 'varh', exp: 0 },
  kvar: { unit: 'var', exp: 3 },
  var: { unit: 'var', exp: 0 },
  kVA: { unit: 'VA', exp: 3 },
  VA: { unit: 'VA', exp: 0 },
  V: { unit: 'mV', exp: 3 },
  A: { unit: 'mA', exp: 3 },
  Hz: { unit: 'mHz', exp: 3 },
  m3: { unit: 'dm3', exp: 3 },
  GJ: { unit: 'kJ', exp: 6 },
  MJ: { unit: 'kJ', exp: 3 },
  s: { unit: 's', exp: 0 },
};

/** Byte-keyed lookup (up to 6 ASCII bytes packed in a number) so decoders need no string. */
const byKey = new Map<number, UnitScale>();
export function unitKey(bytes: Uint8Array, start: number, end: number): number {
  let k = 0;
  for (let i = start; i < end && i < start + 6; i++) k = k * 256 + bytes[i]!;
  return k + (end - start) * 281_474_976_710_656; // length in the top bits: "W" ≠ "\0W"
}
for (const [name, scale] of Object.entries(SCALES)) {
  const b = new TextEncoder().encode(name);
  byKey.set(unitKey(b, 0, b.length), scale);
}

export function unitScaleOf(bytes: Uint8Array, start: number, end: number): UnitScale | undefined {
  return byKey.get(unitKey(bytes, start, end));
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
