/**
 * The market's integer money rules, identical to EnergyMarket.sol (keep them in step):
 *   cost of a fill   = ceil(energyWh * pricePerKWh / 1000)
 *   delivered        = min(provenWh, soldWh)
 *   seller's share   = floor(paid * delivered / soldWh), per fill
 *   buyer's refund   = paid - seller's share
 */
export function costOf(energyWh: number | bigint, pricePerKWh: bigint): bigint {
  const n = BigInt(energyWh) * pricePerKWh;
  return (n + 999n) / 1000n;
}

export function deliveredWh(provenWh: number, soldWh: number): number {
  return Math.min(provenWh, soldWh);
}

export function sellerShare(paid: bigint, delivered: number, soldWh: number): bigint {
  if (soldWh === 0) return 0n;
  return (paid * BigInt(delivered)) / BigInt(soldWh);
}

export function buyerRefund(paid: bigint, delivered: number, soldWh: number): bigint {
  return paid - sellerShare(paid, delivered, soldWh);
}

export interface PriceSuggestion {
  readonly feedInPerKWh: bigint;
  readonly importPerKWh: bigint;
  readonly suggestedPerKWh: bigint;
}

/**
 * A price both sides gain from: above what the grid pays the seller for export (feed-in), below what
 * the buyer pays the grid (import, in the tier the buyer is in now). The midpoint splits the gain
 * evenly; with `step` (the token units of one minor unit, a cent) it is rounded down to a whole
 * step when that stays above feed-in, so a person reads €0.17 rather than €0.176. When the tariff
 * has feed-in >= import there is no gain to split; suggest feed-in (the seller's floor).
 */
export function suggestPrice(feedInPerKWh: bigint, importPerKWh: bigint, step = 1n): PriceSuggestion {
  if (feedInPerKWh < 0n || importPerKWh < 0n) throw new RangeError('prices must be non-negative');
  let suggested = importPerKWh > feedInPerKWh ? (feedInPerKWh + importPerKWh) / 2n : feedInPerKWh;
  if (step > 1n && importPerKWh > feedInPerKWh) {
    const rounded = (suggested / step) * step;
    if (rounded > feedInPerKWh) suggested = rounded;
  }
  return { feedInPerKWh, importPerKWh, suggestedPerKWh: suggested > 0n ? suggested : 1n };
}
