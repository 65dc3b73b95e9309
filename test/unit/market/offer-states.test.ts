import { describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { canCancel, canSettle, chainProofStatus, offerStateOf, refundOf } from '../../../main/market/offer-states.js';
import { toMarketError } from '../../../main/market/chain-errors.js';
import { ENERGY_MARKET_ABI } from '../../../main/market/market-abi.js';
import { SETTLEMENT_GRACE_SECONDS } from '../../../main/market/offer.js';
import type { OfferRecord } from '../../../main/market/market-chain.js';
import { WattletError } from '../../../main/api/errors.js';

const base: OfferRecord = {
  seller: '0x' + '11'.repeat(20), energyWh: 1000, token: '0x' + '00'.repeat(20), filledWh: 0,
  deliveryStart: 10_000, deliveryEnd: 17_200, expiry: 10_000, provenWh: 0, meterId: '0x' + '22'.repeat(32),
  pricePerKWh: 1000n, escrow: 0n, sellerPaid: 0n, cancelled: false, settled: false, minFillWh: 1,
};
const end = base.deliveryEnd;
const grace = end + SETTLEMENT_GRACE_SECONDS;

describe('offer states by block time', () => {
  it('walks open → filled/expired/cancelled → delivering → awaiting-settlement → settled or lapsed', () => {
    expect(offerStateOf(base, 9_000)).toBe('open');
    expect(offerStateOf({ ...base, filledWh: 1000 }, 9_000)).toBe('filled');
    expect(offerStateOf({ ...base, cancelled: true, filledWh: 10 }, 9_000)).toBe('cancelled');
    expect(offerStateOf(base, 10_000)).toBe('expired');
    expect(offerStateOf({ ...base, filledWh: 10 }, 12_000)).toBe('delivering');
    expect(offerStateOf({ ...base, filledWh: 10 }, end)).toBe('awaiting-settlement');
    expect(offerStateOf({ ...base, filledWh: 10 }, grace)).toBe('lapsed');
    expect(offerStateOf({ ...base, filledWh: 10, settled: true }, grace)).toBe('settled');
    expect(offerStateOf({ ...base, cancelled: true }, grace)).toBe('cancelled');
  });

  it('offers settle only inside the settlement period, and cancel only while something is unsold and open', () => {
    const sold = { ...base, filledWh: 500 };
    expect([end - 1, end, grace - 1, grace].map((t) => canSettle(sold, t))).toEqual([false, true, true, false]);
    expect(canSettle(base, end)).toBe(false);
    expect(canCancel(sold, 9_000)).toBe(true);
    expect(canCancel({ ...sold, filledWh: 1000 }, 9_000)).toBe(false);
    expect(canCancel(sold, 10_000)).toBe(false);
  });

  it('gives a refund only once it is known: after settlement the pro-rata rest, after the grace everything', () => {
    const r = { ...base, filledWh: 3000, provenWh: 1000, settled: true };
    const fill = { buyer: base.seller, energyWh: 3000, paid: 1000n, reclaimed: false };
    expect(refundOf(r, fill, end)).toBe(1000n - 333n);
    expect(refundOf({ ...r, settled: false }, fill, end)).toBeNull();
    expect(refundOf({ ...r, settled: false }, fill, grace)).toBe(1000n);
  });

  it('proof status asks the chain about anchors only when it matters', async () => {
    let asked = 0;
    const anchored = async () => {
      asked++;
      return true;
    };
    expect(chainProofStatus(base, end, anchored)).toBe('none');
    expect(chainProofStatus({ ...base, filledWh: 1 }, end - 1, anchored)).toBe('pending-delivery');
    expect(chainProofStatus({ ...base, filledWh: 1 }, grace, anchored)).toBe('unproven');
    expect(chainProofStatus({ ...base, filledWh: 1, settled: true }, grace, anchored)).toBe('proven');
    expect(asked).toBe(0);
    expect(await chainProofStatus({ ...base, filledWh: 1 }, end, anchored)).toBe('anchored');
    expect(await chainProofStatus({ ...base, filledWh: 1 }, end, async () => false)).toBe('awaiting-anchor');
  });
});

describe('contract reverts as market errors', () => {
  const iface = new Interface(ENERGY_MARKET_ABI);
  it('maps a custom error to its code with the revert arguments as facts', () => {
    const data = iface.encodeErrorResult('OverFill', ['0x' + '33'.repeat(32), 501n, 500n]);
    const e = toMarketError({ code: 'CALL_EXCEPTION', data }, 'fill');
    expect(e).toMatchObject({ code: 'MARKET_OVERFILL', facts: { action: 'fill', requestedWh: 501, availableWh: 500, reason: 'OverFill' } });
  });

  it('finds revert data nested in an RPC error, passes WattletErrors through, and reports dead endpoints', () => {
    const data = iface.encodeErrorResult('NoAnchor', ['0x' + '44'.repeat(32), 20_000]);
    expect(toMarketError({ error: { data: { data } } }, 'settle')).toMatchObject({ code: 'MARKET_NOT_ANCHORED', facts: { day: 20_000, date: '2024-10-04' } });
    const own = new WattletError('APPROVAL_REJECTED', 'no');
    expect(toMarketError(own, 'fill')).toBe(own);
    expect(toMarketError(new Error('connect ECONNREFUSED'), 'getLogs')).toMatchObject({ code: 'MARKET_RPC_FAILED', facts: { action: 'getLogs' } });
  });
});
