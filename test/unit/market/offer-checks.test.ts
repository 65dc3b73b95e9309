import { describe, expect, it } from 'vitest';
import type { RatesJson, TokenJson } from '../../../main/api/market.js';
import { comparableExport, offerChecks, type OfferCheckInput } from '../../../main/market/offer-checks.js';
import type { SaltedInterval } from '../../../main/ledger/tree/index.js';

const DAY = 86_400;
const eurd: TokenJson = { address: `0x${'e1'.repeat(20)}`, native: false, symbol: 'EURD', decimals: 6, currency: 'EUR' };
const eth: TokenJson = { address: `0x${'00'.repeat(20)}`, native: true, symbol: 'ETH', decimals: 18, currency: null };
const rates: RatesJson = { currency: 'EUR', minorUnitDigits: 2, importPerKWh: 27250, feedInPerKWh: 8000, tier: null, windows: ['shoulder'], importUnits: '272500', feedInUnits: '80000' };
const today = 20_600;
const start = (today + 1) * DAY + 10 * 3600;

function input(over: Partial<OfferCheckInput> = {}): OfferCheckInput {
  return {
    energyWh: 2000, pricePerKWh: 170_000n, deliveryStart: start, deliveryEnd: start + 3 * 3600, token: eurd, rates,
    lastAnchoredDay: today - 1, now: today * DAY + 12 * 3600, comparable: { maxWh: 4400, days: 7 }, ...over,
  };
}
const ids = (i: OfferCheckInput) => offerChecks(i).map((c) => c.id);

describe('checks of a sell offer', () => {
  it('finds nothing to say about a fair offer the operator will anchor in time', () => {
    expect(offerChecks(input())).toEqual([]);
  });

  it('points out a price below feed-in, or above what a neighbour pays the grid, in the currency', () => {
    expect(offerChecks(input({ pricePerKWh: 70_000n }))).toEqual([
      { id: 'priceBelowFeedIn', severity: 'warning', source: 'market', params: { price: '0.07', feedIn: '0.08', currency: 'EUR' } },
    ]);
    expect(ids(input({ pricePerKWh: 300_000n }))).toEqual(['priceAboveImport']);
    // A token that is not the tariff's currency is never compared (no exchange rate is assumed).
    expect(ids(input({ token: eth, rates: { ...rates, importUnits: null, feedInUnits: null } }))).toEqual(['priceNotComparable']);
  });

  it('warns when the operator, at its pace, will not anchor the window before the time to settle ends', () => {
    expect(ids(input({ lastAnchoredDay: null }))).toEqual(['windowNotAnchorable']);
    expect(ids(input({ lastAnchoredDay: today - 2 }))).toEqual([]); // one day late: still in time
    expect(offerChecks(input({ lastAnchoredDay: today - 4 }))[0]).toMatchObject({ id: 'windowNotAnchorable', params: { lastAnchored: '2026-05-23' } });
  });

  it('warns of more energy than the operator anchored in the same hours of recent days', () => {
    expect(offerChecks(input({ energyWh: 4401 }))).toEqual([
      { id: 'moreThanAnchoredExport', severity: 'warning', source: 'market', params: { energyWh: 4401, maxWh: 4400, days: 7 } },
    ]);
    expect(ids(input({ comparable: { maxWh: 0, days: 0 } }))).toEqual(['noAnchoredExport']);
  });
});

describe('anchored export of comparable days', () => {
  it("takes the operator's handed-over intervals in the window's hours on each past day, and their most", async () => {
    const days = new Map<number, SaltedInterval[]>();
    for (const [d, perQuarter] of [[today - 1, 100], [today - 2, 150], [today - 4, 50]] as const) {
      days.set(d, Array.from({ length: 96 }, (_, k) => ({ start: d * DAY + k * 900, seconds: 900, importWh: 0n, exportWh: BigInt(k >= 40 && k < 52 ? perQuarter : 999), salt: '0x' })));
    }
    const c = await comparableExport(async (_m, d) => days.get(d) ?? [], '0xm', { deliveryStart: start, deliveryEnd: start + 3 * 3600 }, today * DAY + 12 * 3600, 7);
    // 10:00–13:00 is quarters 40–51: 12 × 150 on the best day; three of the seven days were handed over.
    expect(c).toEqual({ maxWh: 1800, days: 3 });
  });
});
