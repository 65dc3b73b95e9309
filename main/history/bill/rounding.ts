/**
 * Integer division rounded half away from zero — the rule utilities print on bills ("四舍五入"),
 * applied to every line. Exact for |n| < 2^53: no floating-point division decides the result.
 */
export function divRound(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0) {
    throw new RangeError(`divRound needs safe integers and a positive divisor (${n} / ${d})`);
  }
  const sign = n < 0 ? -1 : 1;
  const a = Math.abs(n);
  const q = Math.floor(a / d);
  const r = a - q * d;
  return sign * (2 * r >= d ? q + 1 : q);
}

/** Wh × milli-minor/kWh → minor units: Wh·milli / (1000 Wh/kWh · 1000 milli/minor). */
export function energyAmount(wh: number, milliPerKWh: number): number {
  const product = wh * milliPerKWh;
  if (!Number.isSafeInteger(product)) {
    // Beyond 2^53 only for absurd bills; stay exact with bigint rather than guess.
    const big = BigInt(wh) * BigInt(milliPerKWh);
    const sign = big < 0n ? -1n : 1n;
    const a = big < 0n ? -big : big;
    const q = a / 1_000_000n;
    const r = a % 1_000_000n;
    return Number(sign * (2n * r >= 1_000_000n ? q + 1n : q));
  }
  return divRound(product, 1_000_000);
}
