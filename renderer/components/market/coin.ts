/**
 * Money on screen. Amounts arrive as decimal strings of the smallest unit (wei); the person reads and
 * types whole coins. Pure string/bigint arithmetic: a float would lose wei.
 */
export const COIN_DECIMALS = 18;

export function formatCoin(smallest: string | bigint, maxFraction = 8, decimals = COIN_DECIMALS): string {
  const v = BigInt(smallest);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let frac = (abs % base).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  if (!frac && abs % base !== 0n) frac = '0'.repeat(Math.max(0, maxFraction - 1)) + '1'; // shows "0.00000001" rather than "0" for dust
  return `${neg ? '-' : ''}${whole.toString()}${frac ? '.' + frac : ''}`;
}

/** "0.00019" coins → "190000000000000" wei; null when the text is not a plain non-negative decimal. */
export function parseCoin(text: string, decimals = COIN_DECIMALS): string | null {
  const m = /^\s*(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (!m[1] && !m[2])) return null;
  const frac = (m[2] ?? '').slice(0, decimals).padEnd(decimals, '0');
  return (BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac || '0')).toString();
}

/** ceil(energyWh * pricePerKWh / 1000): what the contract charges (EnergyMarket.costOf). */
export function costOf(energyWh: number, pricePerKWh: string): string {
  return ((BigInt(energyWh) * BigInt(pricePerKWh) + 999n) / 1000n).toString();
}
