import { describe, expect, it } from 'vitest';
import type { OfferRecord } from '../../../main/market/market-chain.js';
import { buyerTimeline, sellerTimeline, type SaleFacts } from '../../../main/market/timeline.js';

const DAY = 86_400;
const start = 20_601 * DAY + 10 * 3600;
const end = start + 3 * 3600;
const grace = 3 * DAY;
const BUYER = `0x${'b1'.repeat(20)}`;

function record(over: Partial<OfferRecord> = {}): OfferRecord {
  return {
    seller: `0x${'5e'.repeat(20)}`, energyWh: 2000, token: `0x${'e1'.repeat(20)}`, filledWh: 0, deliveryStart: start, deliveryEnd: end, expiry: start,
    provenWh: 0, meterId: '0xm', pricePerKWh: 170_000n, escrow: 0n, sellerPaid: 0n, cancelled: false, settled: false, minFillWh: 63, ...over,
  };
}
function facts(over: Partial<SaleFacts> = {}): SaleFacts {
  return { record: record(), now: start - DAY, listedAt: start - 2 * DAY, fills: [], anchoredAt: [null], settledAt: null, reclaims: [], ...over };
}
const steps = (t: ReturnType<typeof sellerTimeline>) => t.map((s) => `${s.step}:${s.status}`);
const sold = record({ filledWh: 2000, escrow: 340_000n });
const fill = { at: start - DAY + 60, buyer: BUYER, energyWh: 2000, paid: 340_000n };

describe("a sale's timeline", () => {
  it('follows the seller from listing to payout, each step with its time', () => {
    expect(steps(sellerTimeline(facts()))).toEqual(['listed:done', 'bought:current', 'delivery:skipped', 'anchored:skipped', 'settled:skipped']);
    expect(steps(sellerTimeline(facts({ record: sold, fills: [fill] })))).toEqual(['listed:done', 'bought:done', 'delivery:pending', 'anchored:pending', 'settled:pending', 'paid:pending']);
    expect(steps(sellerTimeline(facts({ record: sold, fills: [fill], now: start + 60 })))[2]).toBe('delivery:current');
    const due = sellerTimeline(facts({ record: sold, fills: [fill], now: end + DAY, anchoredAt: [end + 3600] }));
    expect(steps(due)).toEqual(['listed:done', 'bought:done', 'delivery:done', 'anchored:done', 'settled:current', 'paid:pending']);
    expect(due.find((s) => s.step === 'settled')?.at).toBe(end + grace);
    const paid = sellerTimeline(facts({ record: { ...sold, settled: true, provenWh: 1500, sellerPaid: 255_000n }, fills: [fill], now: end + DAY, anchoredAt: [end + 3600], settledAt: end + DAY }));
    expect(steps(paid)).toEqual(['listed:done', 'bought:done', 'delivery:done', 'anchored:done', 'settled:done', 'paid:done']);
    expect(paid.find((s) => s.step === 'settled')?.facts).toEqual({ provenWh: 1500, deliveredWh: 1500, soldWh: 2000 });
    expect(paid.find((s) => s.step === 'paid')?.facts).toEqual({ amount: '255000', refund: '85000' });
  });

  it('says when nobody bought, or the operator never anchored and settlement lapsed', () => {
    expect(steps(sellerTimeline(facts({ now: start + 1 })))).toEqual(['listed:done', 'bought:skipped', 'delivery:skipped', 'anchored:skipped', 'settled:skipped']);
    const lapsed = sellerTimeline(facts({ record: sold, fills: [fill], now: end + grace + 1 }));
    expect(steps(lapsed)).toEqual(['listed:done', 'bought:done', 'delivery:done', 'anchored:failed', 'lapsed:failed', 'paid:skipped']);
  });

  it("follows the buyer to the refund: what was not proven, or everything when never settled", () => {
    const settled = facts({ record: { ...sold, settled: true, provenWh: 1500, sellerPaid: 255_000n }, fills: [fill], now: end + DAY, anchoredAt: [end + 3600], settledAt: end + DAY });
    expect(steps(buyerTimeline(settled, BUYER, 340_000n, 85_000n, false))).toEqual(['bought:done', 'delivery:done', 'anchored:done', 'settled:done', 'refund:current']);
    const back = buyerTimeline({ ...settled, reclaims: [{ at: end + DAY + 5, buyer: BUYER, amount: 85_000n }] }, BUYER, 340_000n, 85_000n, true);
    expect(back.at(-1)).toEqual({ step: 'reclaimed', status: 'done', at: end + DAY + 5, facts: { amount: '85000' } });
    const waiting = buyerTimeline(facts({ record: sold, fills: [fill] }), BUYER, 340_000n, null, false);
    expect(waiting.at(-1)).toMatchObject({ step: 'refund', status: 'pending', at: end + grace });
    expect(buyerTimeline(settled, BUYER, 340_000n, 0n, false).at(-1)).toMatchObject({ step: 'refund', status: 'skipped' });
  });
});
