import { describe, expect, it } from 'vitest';
import { estimateSurplus, overlapWh } from '../../../main/market/surplus.js';
import { isError } from '../../../main/api/errors.js';

const D = 86_400;
describe('surplus estimate', () => {
  it('averages the same hours of fully past days with data, rounding down, minus what is offered', async () => {
    const seen: number[] = [];
    const history = {
      async exportWh(from: number): Promise<number | null> {
        const k = Math.round((100 * D - from) / D);
        seen.push(k);
        return k === 2 ? null : 1000 + k; // day -2 has no data
      },
    };
    // Window 100d+10h..12h, now = 100d + 1h: day -1 (99d 10..12h) is fully past.
    const r = await estimateSurplus(history, { deliveryStart: 100 * D, deliveryEnd: 100 * D + 7200 }, 100 * D + 3600, 3, 500);
    expect(seen).toEqual([1, 2, 3]);
    expect(r).toMatchObject({ basisDays: 2, estimatedExportWh: Math.floor((1001 + 1003) / 2), alreadyOfferedWh: 500, availableWh: 502 });
  });

  it('skips days whose hours are not over yet', async () => {
    const seen: number[] = [];
    const history = { async exportWh(from: number) { seen.push(from); return 10; } };
    const r = await estimateSurplus(history, { deliveryStart: 100 * D, deliveryEnd: 100 * D + 900 }, 99 * D + 450, 2, 0);
    expect(seen).toEqual([98 * D, 97 * D]);
    expect(r.availableWh).toBe(10);
  });

  it('refuses windows off the 15-minute grid', async () => {
    const p = estimateSurplus({ exportWh: async () => 0 }, { deliveryStart: 100, deliveryEnd: 1000 }, 0, 1, 0);
    await expect(p).rejects.toSatisfy((e) => isError(e, 'MARKET_INVALID_WINDOW'));
  });

  it('counts an offer in a window pro rata by overlap, rounding up', () => {
    expect(overlapWh({ energyWh: 1000, deliveryStart: 0, deliveryEnd: 3600 }, 1800, 7200)).toBe(500);
    expect(overlapWh({ energyWh: 1001, deliveryStart: 0, deliveryEnd: 3600 }, 1800, 7200)).toBe(501);
    expect(overlapWh({ energyWh: 1000, deliveryStart: 0, deliveryEnd: 3600 }, 3600, 7200)).toBe(0);
  });
});
