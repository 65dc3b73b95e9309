/**
 * Exact decimal text → integer in a finer unit ("12.345" kWh → 12345 Wh) without floats:
 * 0.1 kWh must be 100 Wh, not 100.00000000000001 truncated to 99. Digits beyond the target
 * resolution round half away from zero; `rounded` says it happened.
 */
export function parseDecimalScaled(text: string, scaleDigits: number, decimalSeparator: '.' | ',' = '.'): { value: number; rounded: boolean } | null {
  const s = text.trim().replace(/[\s_']/g, '');
  const sep = decimalSeparator === '.' ? '\\.' : ',';
  const m = new RegExp(`^([+-]?)(\\d*)(?:${sep}(\\d*))?$`).exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const negative = m[1] === '-';
  const intPart = m[2] || '0';
  const frac = m[3] ?? '';
  const kept = frac.slice(0, scaleDigits).padEnd(scaleDigits, '0');
  const rest = frac.slice(scaleDigits);
  let big = BigInt(intPart) * 10n ** BigInt(scaleDigits) + BigInt(kept || '0');
  const rounded = /[1-9]/.test(rest);
  if (rest.length > 0 && rest.charCodeAt(0) >= 53 /* '5' */) big += 1n;
  if (negative) big = -big;
  const value = Number(big);
  if (!Number.isSafeInteger(value)) return null;
  return { value: value === 0 ? 0 : value, rounded };
}

/** Integer in the finer unit back to decimal text (12345 Wh, 3 → "12.345"), exact. */
export function formatScaled(value: number, scaleDigits: number): string {
  if (scaleDigits === 0) return String(value);
  const neg = value < 0;
  const digits = String(Math.abs(value)).padStart(scaleDigits + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scaleDigits)}.${digits.slice(-scaleDigits)}`;
}
