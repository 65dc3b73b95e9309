import { describe, expect, it } from 'vitest';
import { decodeOfferCall, ledgerCalls } from '../../../main/wallet/ledger-calls.js';
import { offerCallView, reclaimFigures, settleFigures, type OfferRecordReading } from '../../../main/wallet/offer-call-display.js';

const HASH = '0x' + 'ab'.repeat(32);
const START = 1_796_292_000n;
const GRACE = 259_200n;
const leaf = (i: number, exportWh: bigint) => ({ intervalStart: START + BigInt(i) * 900n, exportWh });

const settled = (provenWh: bigint): OfferRecordReading => ({
  seller: '0x' + '11'.repeat(20),
  meterId: '0x' + '0a'.repeat(32),
  token: '0x' + '22'.repeat(20),
  pricePerKWh: 490_000n,
  deliveryStart: START,
  deliveryEnd: START + 7200n,
  energyWh: 2000n,
  filledWh: 1500n,
  provenWh,
  escrow: 735_000n,
  settled: true,
});

describe('what a cancel, settle or reclaim moves, worked out as the contract does', () => {
  it('reads cancel, reclaim and settle (with every interval of every day, in order) from the call data, nothing else', () => {
    expect(decodeOfferCall(ledgerCalls.encodeFunctionData('cancel', [HASH]))).toEqual({ call: 'cancel', offerHash: HASH });
    expect(decodeOfferCall(ledgerCalls.encodeFunctionData('reclaim', [HASH]))).toEqual({ call: 'reclaim', offerHash: HASH });
    const day = (d: number, leaves: Array<{ intervalStart: bigint; exportWh: bigint }>) => ({
      day: d,
      leaves: leaves.map((l) => ({ ...l, seconds_: 900, importWh: 5n, salt: '0x' + '00'.repeat(32) })),
      proof: [],
      proofFlags: [],
      region: { regionId: '0x' + '00'.repeat(32), meterDayRoot: '0x' + '00'.repeat(32), importWh: 0n, exportWh: 0n, salt: '0x' + '00'.repeat(32), path: [] },
    });
    const data = ledgerCalls.encodeFunctionData('settle', [HASH, [day(1, [leaf(2, 30n), leaf(0, 10n)]), day(2, [leaf(1, 20n)])]]);
    expect(decodeOfferCall(data)).toEqual({ call: 'settle', offerHash: HASH, intervals: [leaf(2, 30n), leaf(0, 10n), leaf(1, 20n)] });
    expect(decodeOfferCall(ledgerCalls.encodeFunctionData('fill', [HASH, 5n]))).toBeNull();
    expect(decodeOfferCall('0x12345678')).toBeNull();
  });

  it('a settlement takes only export no earlier settlement used, in the call’s order, up to what was sold', () => {
    // 400 + (300 − 300 used) + (500 − 100 used) = 800 free; sold 700: the walk stops at 700.
    const figures = settleFigures(700n, [leaf(0, 400n), leaf(1, 300n), leaf(2, 500n)], [0n, 300n, 100n], [343_000n]);
    expect(figures).toEqual({ deliveredWh: 700n, sellerGets: 343_000n, buyersGetBack: 0n });
    // Used beyond what the leaf carries counts as nothing free, never negative.
    expect(settleFigures(700n, [leaf(0, 100n)], [250n], [343_000n])).toEqual({ deliveredWh: 0n, sellerGets: 0n, buyersGetBack: 343_000n });
  });

  it('pays the seller the sum of each buyer’s floor(paid × delivered / sold), so every unit goes to one side', () => {
    // Three buyers of 1/3 each at an odd price: each share rounds down on its own.
    const paid = [333_334n, 333_333n, 333_333n];
    const f = settleFigures(3n, [leaf(0, 2n)], [0n], paid);
    expect(f.deliveredWh).toBe(2n);
    expect(f.sellerGets).toBe(222_222n + 222_222n + 222_222n); // floor(333334·2/3) = 222222, floor(333333·2/3) = 222222
    expect(f.sellerGets + f.buyersGetBack).toBe(1_000_000n);
  });

  it('a reclaim after settlement is what the seller did not earn; nothing when all was delivered or already taken', () => {
    const fill = { energyWh: 1500n, paid: 735_000n, reclaimed: false };
    expect(reclaimFigures(settled(900n), fill, START, GRACE)).toEqual({ amount: 735_000n - (735_000n * 900n) / 1500n, cause: 'shortfall', deliveredWh: 900n });
    expect(reclaimFigures(settled(1500n), fill, START, GRACE)).toEqual({ amount: null, cause: null, deliveredWh: 1500n });
    expect(reclaimFigures(settled(900n), { ...fill, reclaimed: true }, START, GRACE).amount).toBeNull();
    expect(reclaimFigures(settled(900n), { ...fill, paid: 0n }, START, GRACE).amount).toBeNull();
  });

  it('an unsettled offer pays everything back only once the grace after the window is over, by the chain’s clock', () => {
    const open = { ...settled(0n), settled: false };
    const fill = { energyWh: 1500n, paid: 735_000n, reclaimed: false };
    const end = open.deliveryEnd + GRACE;
    expect(reclaimFigures(open, fill, end - 1n, GRACE).amount).toBeNull();
    expect(reclaimFigures(open, fill, end, GRACE)).toEqual({ amount: 735_000n, cause: 'unsettled', deliveredWh: null });
  });

  it('the view keeps integers exact and shows the household’s money only when the token is that money', () => {
    const household = { timeZone: 'Asia/Shanghai', currency: 'CNY' };
    const cnyd = { address: '0x' + '22'.repeat(20), native: false, info: { symbol: 'CNYD', decimals: 6 } };
    const v = offerCallView({ offerHash: HASH, record: settled(900n), token: cnyd, household, chainNow: START, accepted: true }, { call: 'cancel' });
    expect(v).toMatchObject({ call: 'cancel', energyWh: '2000', soldWh: '1500', unsoldWh: '500', pricePerKWh: { units: '490000', amount: '0.49' }, inHouseholdCurrency: true, timeZone: 'Asia/Shanghai', chainNow: String(START) });
    const eur = offerCallView({ offerHash: HASH, record: settled(900n), token: cnyd, household: { timeZone: 'UTC', currency: 'EUR' }, chainNow: START, accepted: true }, { call: 'cancel' });
    expect(eur.inHouseholdCurrency).toBe(false);
    const s = offerCallView({ offerHash: HASH, record: settled(900n), token: cnyd, household: null, chainNow: START, accepted: true }, { call: 'settle', buyers: 1, figures: null });
    expect(s).toMatchObject({ call: 'settle', timeZone: 'UTC', escrow: { units: '735000', amount: '0.735' }, deliveredWh: null, sellerGets: null, buyersGetBack: null });
  });
});
