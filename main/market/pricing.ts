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
 * the buyer pays the grid (import). The midpoint, rounded down, splits the gain evenly. When the
 * tariff has feed-in >= import there is no gain to split; suggest feed-in (the seller's floor).
 */
export function suggestPrice(feedInPerKWh: bigint, importPerKWh: bigint): PriceSuggestion {
  if (feedInPerKWh < 0n || importPerKWh < 0n) throw new RangeError('prices must be non-negative');
  const suggested = importPerKWh > feedInPerKWh ? (feedInPerKWh + importPerKWh) / 2n : feedInPerKWh;
  return { feedInPerKWh, importPerKWh, suggestedPerKWh: suggested > 0n ? suggested : 1n };
}
