import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buyerRefund, costOf, sellerShare, suggestPrice } from '../../../main/market/pricing.js';

describe('market money rules', () => {
  it('charges ceil(energyWh * price / 1000): never below the price', () => {
    expect(costOf(1, 999n)).toBe(1n);
    expect(costOf(1000, 999n)).toBe(999n);
    expect(costOf(1001, 1000n)).toBe(1001n);
    expect(costOf(3, 333n)).toBe(1n);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.bigInt({ min: 1n, max: 10n ** 24n }), (wh, price) => {
        const c = costOf(wh, price);
        return c * 1000n >= BigInt(wh) * price && (c - 1n) * 1000n < BigInt(wh) * price;
      }),
    );
  });

  it('splits every fill between seller and buyer with nothing lost or created', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), (paid, sold, provenRaw) => {
        const delivered = Math.min(provenRaw, sold);
        const share = sellerShare(paid, delivered, sold);
        const refund = buyerRefund(paid, delivered, sold);
        return share + refund === paid && refund >= 0n && share >= 0n && (delivered !== sold || refund === 0n);
      }),
    );
    expect(buyerRefund(1000n, 1, 3)).toBe(667n); // seller gets floor(1000/3) = 333
  });

  it('suggests the midpoint between feed-in and import, and feed-in when there is no gain', () => {
    expect(suggestPrice(80n, 300n).suggestedPerKWh).toBe(190n);
    expect(suggestPrice(81n, 300n).suggestedPerKWh).toBe(190n);
    expect(suggestPrice(300n, 300n).suggestedPerKWh).toBe(300n);
    expect(suggestPrice(400n, 300n).suggestedPerKWh).toBe(400n);
    expect(() => suggestPrice(-1n, 3n)).toThrow(RangeError);
  });
});
