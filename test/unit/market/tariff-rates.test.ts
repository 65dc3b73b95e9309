import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tariffSchema, type Tariff } from '../../../main/history/tariffs/schema.js';
import { tariffToTokenUnits, windowRates } from '../../../main/market/tariff-rates.js';
import { suggestPrice } from '../../../main/market/pricing.js';

// The household's own rates for a delivery window, from the built-in tariffs as shipped.
const tariff = (id: string): Tariff => tariffSchema.parse(JSON.parse(readFileSync(`resources/tariffs/${id}.json`, 'utf8')));
const eu = tariff('example-eu-tou-feed-in');
const zhejiang = tariff('cn-zhejiang-ladder-tou');
const flatNet = tariff('example-flat-net-metering');
const at = (iso: string) => Date.parse(iso) / 1000;

describe("the household's rates for a window", () => {
  it('takes the time-of-use window of the hours, and the feed-in of that window (peak pays more)', () => {
    // Wednesday 2026-06-03, Amsterdam (CEST): 11:00–14:00 is shoulder in summer.
    const shoulder = windowRates(eu, at('2026-06-03T09:00:00Z'), at('2026-06-03T12:00:00Z'), 0);
    expect(shoulder).toMatchObject({ currency: 'EUR', minorUnitDigits: 2, importPerKWh: 27250, feedInPerKWh: 8000, tier: null, windows: ['shoulder'] });
    // 17:00–19:00 is peak: import €0.385, feed-in €0.12.
    expect(windowRates(eu, at('2026-06-03T15:00:00Z'), at('2026-06-03T17:00:00Z'), 0)).toMatchObject({ importPerKWh: 38500, feedInPerKWh: 12000, windows: ['peak'] });
    // Half shoulder, half peak: the average over the quarters.
    expect(windowRates(eu, at('2026-06-03T14:00:00Z'), at('2026-06-03T16:00:00Z'), 0)).toMatchObject({ importPerKWh: (27250 + 38500) / 2, feedInPerKWh: 10000, windows: ['shoulder', 'peak'] });
  });

  it('charges the tier the household is in now: the ladder follows what it imported this year', () => {
    const window = [at('2026-06-03T03:00:00Z'), at('2026-06-03T06:00:00Z')] as const; // 11:00–14:00 Shanghai: peak
    expect(windowRates(zhejiang, ...window, 0)).toMatchObject({ currency: 'CNY', importPerKWh: 56800, feedInPerKWh: 41530, tier: 1, windows: ['peak'] });
    expect(windowRates(zhejiang, ...window, 2_760_000 - 1)).toMatchObject({ importPerKWh: 56800, tier: 1 });
    expect(windowRates(zhejiang, ...window, 2_760_000)).toMatchObject({ importPerKWh: 56800 + 5000, tier: 2 });
    expect(windowRates(zhejiang, ...window, 9_000_000)).toMatchObject({ importPerKWh: 56800 + 30000, tier: 3 });
    // 22:00–01:00 Shanghai: valley.
    expect(windowRates(zhejiang, at('2026-06-03T14:00:00Z'), at('2026-06-03T17:00:00Z'), 0)).toMatchObject({ importPerKWh: 28800, windows: ['valley'] });
  });

  it('values export at the import price under net metering', () => {
    const r = windowRates(flatNet, at('2026-06-03T09:00:00Z'), at('2026-06-03T12:00:00Z'), 0);
    expect(r.feedInPerKWh).toBe(r.importPerKWh);
  });

  it('converts a tariff amount into a token that is its currency, exactly where the token has the digits', () => {
    expect(tariffToTokenUnits(27250, 2, 6)).toBe(272_500n); // €0.2725 in EURD (6 decimals)
    expect(tariffToTokenUnits(41530, 2, 6)).toBe(415_300n); // ¥0.4153 in CNYD
    expect(tariffToTokenUnits(38500, 2, 18)).toBe(385_000_000_000_000_000n);
    expect(tariffToTokenUnits(27250, 2, 2)).toBe(27n); // a 2-decimal token: rounded to the cent
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 5, max: 30 }), (m, d) => tariffToTokenUnits(m, 2, d) === BigInt(m) * 10n ** BigInt(d - 5)));
  });

  it('suggests, between feed-in and import, a whole cent above feed-in', () => {
    // EU shoulder: €0.08 … €0.2725 → midpoint €0.17625 → €0.17.
    expect(suggestPrice(80_000n, 272_500n, 10_000n).suggestedPerKWh).toBe(170_000n);
    // Zhejiang peak, tier 1: ¥0.4153 … ¥0.568 → ¥0.49165 → ¥0.49.
    expect(suggestPrice(415_300n, 568_000n, 10_000n).suggestedPerKWh).toBe(490_000n);
    // A gap narrower than a cent: the exact midpoint rather than a price at or below feed-in.
    expect(suggestPrice(80_000n, 85_000n, 10_000n).suggestedPerKWh).toBe(82_500n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (f, gap, step) => {
        const s = suggestPrice(f, f + gap, step).suggestedPerKWh;
        return s >= f && s <= f + gap && (gap < 2n || s > f || f === 0n);
      }),
    );
  });
});
