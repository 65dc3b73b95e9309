import { describe, expect, it } from 'vitest';
import type { Language } from '../i18n/index.js';
import { I18n } from '../lib/i18n.svelte.js';
import { offerCallView, reclaimFigures, settleFigures, type OfferRecordReading } from '../../main/wallet/offer-call-display.js';
import { offerCallSentence, offerCallWarning } from './offer-call-sentence.js';

// The approval page's first sentence for a cancel, settle or reclaim, through the page's own I18n
// and the wallet's own view builder (main/wallet/offer-call-display.ts), in both languages. The
// offer: 2 kWh between 11:00 and 14:00 in Amsterdam on 3 Dec 2026 (10:00–13:00 UTC), in Demo Euro
// (EURD, 6 decimals) at €0.17/kWh, €0.34 for all of it.
const START = 1_796_292_000n; // 2026-12-03T10:00Z
const DAY_BEFORE = 1_796_212_800n; // 2026-12-02T12:00Z: the window is tomorrow
const DAY_AFTER = 1_796_374_800n; // 2026-12-04T09:00Z: the window was the day before
const GRACE = 3n * 86_400n;

const eurd = { address: '0x' + '22'.repeat(20), native: false, info: { symbol: 'EURD', decimals: 6 } };
const household = { timeZone: 'Europe/Amsterdam', currency: 'EUR' };

function record(o: Partial<OfferRecordReading> = {}): OfferRecordReading {
  return {
    seller: '0x' + '11'.repeat(20),
    meterId: '0x' + '0a'.repeat(32),
    token: eurd.address,
    pricePerKWh: 170_000n,
    deliveryStart: START,
    deliveryEnd: START + 3n * 3600n,
    energyWh: 2000n,
    filledWh: 0n,
    provenWh: 0n,
    escrow: 0n,
    settled: false,
    ...o,
  };
}

function say(language: Language, view: Parameters<typeof offerCallSentence>[3]): string {
  const i18n = new I18n();
  i18n.language = language;
  return offerCallSentence(i18n.t, i18n.dateTime, i18n.number, view);
}

const view = (r: OfferRecordReading, chainNow: bigint, facts: Parameters<typeof offerCallView>[1]) =>
  offerCallView({ offerHash: '0x' + 'ab'.repeat(32), record: r, token: eurd, household, chainNow, accepted: true }, facts);

describe('a cancel, settle or reclaim in one sentence', () => {
  it('cancel: nobody has bought any of it', () => {
    const v = view(record(), DAY_BEFORE, { call: 'cancel' });
    expect(say('en', v)).toBe('Cancel your offer to sell 2 kWh between 11:00 AM and 2:00 PM tomorrow at €0.17/kWh; nobody has bought any of it.');
    expect(say('zh-CN', v)).toBe('取消您在明天 11:00 至 14:00 以 €0.17/kWh 出售 2 千瓦时的挂单；尚无人购买。');
  });

  it('cancel: what is left is withdrawn, the buyers already in keep their purchase', () => {
    const v = view(record({ filledWh: 800n, escrow: 136_000n }), DAY_BEFORE, { call: 'cancel' });
    expect(v).toMatchObject({ call: 'cancel', unsoldWh: '1200', soldWh: '800' });
    expect(say('en', v)).toBe(
      'Cancel what is left of your offer to sell 2 kWh between 11:00 AM and 2:00 PM tomorrow at €0.17/kWh: 1.2 kWh is withdrawn; the buyers of the other 0.8 kWh keep their purchase, which still settles.',
    );
    expect(say('zh-CN', v)).toBe('取消您在明天 11:00 至 14:00 以 €0.17/kWh 出售 2 千瓦时的挂单中未售出的 1.2 千瓦时；已购买其余 0.8 千瓦时的买方保留其购买，照常结算。');
  });

  it('cancel: all of it sold, nothing is withdrawn', () => {
    const v = view(record({ filledWh: 2000n, escrow: 340_000n }), DAY_BEFORE, { call: 'cancel' });
    expect(say('en', v)).toBe(
      'Cancel your offer to sell 2 kWh between 11:00 AM and 2:00 PM tomorrow at €0.17/kWh: all of it is sold, so nothing is withdrawn; the buyers keep their purchase, which still settles.',
    );
    expect(say('zh-CN', v)).toBe('取消您在明天 11:00 至 14:00 以 €0.17/kWh 出售 2 千瓦时的挂单：已全部售出，不撤回任何电量；买方保留其购买，照常结算。');
  });

  it('settle: delivery fell short, the seller is paid its share and the buyer gets the rest back', () => {
    // 12 quarter hours carrying 150 Wh each: 1,800 Wh proven of the 2,000 Wh sold.
    const intervals = Array.from({ length: 12 }, (_, i) => ({ intervalStart: START + BigInt(i) * 900n, exportWh: 150n }));
    const figures = settleFigures(2000n, intervals, intervals.map(() => 0n), [340_000n]);
    expect(figures).toEqual({ deliveredWh: 1800n, sellerGets: 306_000n, buyersGetBack: 34_000n });
    const v = view(record({ filledWh: 2000n, escrow: 340_000n }), DAY_AFTER, { call: 'settle', buyers: 1, figures });
    expect(say('en', v)).toBe('Prove delivery of 1.8 of 2 kWh sold between 11:00 AM and 2:00 PM on Dec 3, 2026 and receive €0.306; €0.034 goes back to the buyer.');
    expect(say('zh-CN', v)).toBe('证明2026年12月3日 11:00 至 14:00 售出的 2 千瓦时中已交付 1.8 千瓦时，收款 €0.306；买方取回 €0.034。');
  });

  it('settle: all delivered, nothing goes back', () => {
    const intervals = Array.from({ length: 12 }, (_, i) => ({ intervalStart: START + BigInt(i) * 900n, exportWh: 400n }));
    const figures = settleFigures(2000n, intervals, intervals.map(() => 0n), [170_000n, 170_000n]);
    expect(figures).toEqual({ deliveredWh: 2000n, sellerGets: 340_000n, buyersGetBack: 0n });
    const v = view(record({ filledWh: 2000n, escrow: 340_000n }), DAY_AFTER, { call: 'settle', buyers: 2, figures });
    expect(say('en', v)).toBe('Prove delivery of all 2 kWh sold between 11:00 AM and 2:00 PM on Dec 3, 2026 and receive €0.34; nothing goes back to the buyers.');
    expect(say('zh-CN', v)).toBe('证明2026年12月3日 11:00 至 14:00 售出的全部 2 千瓦时已交付，收款 €0.34；各买方无退款。');
  });

  it('settle: when the chain would not run the call, only what is known (the escrow) is said', () => {
    const v = view(record({ filledWh: 2000n, escrow: 340_000n }), DAY_AFTER, { call: 'settle', buyers: 1, figures: null });
    expect(v).toMatchObject({ deliveredWh: null, sellerGets: null, buyersGetBack: null, escrow: { units: '340000' } });
    expect(say('en', v)).toBe(
      'Prove delivery of the 2 kWh sold between 11:00 AM and 2:00 PM on Dec 3, 2026: €0.34 is in escrow; you receive the share your proof delivers and the rest goes back to the buyer.',
    );
    expect(say('zh-CN', v)).toBe('证明2026年12月3日 11:00 至 14:00 售出的 2 千瓦时已交付：托管中有 €0.34；您按证明交付的部分收款，其余退还买方。');
  });

  it('reclaim: delivery fell short', () => {
    const r = record({ filledWh: 2000n, escrow: 340_000n, settled: true, provenWh: 1800n });
    const fill = { energyWh: 2000n, paid: 340_000n, reclaimed: false };
    const figures = reclaimFigures(r, fill, DAY_AFTER, GRACE);
    expect(figures).toEqual({ amount: 34_000n, cause: 'shortfall', deliveredWh: 1800n });
    const v = view(r, DAY_AFTER, { call: 'reclaim', fill, ...figures });
    expect(say('en', v)).toBe('Take back €0.034 of the €0.34 you paid for 2 kWh between 11:00 AM and 2:00 PM on Dec 3, 2026 (delivery fell short: 1.8 of 2 kWh delivered).');
    expect(say('zh-CN', v)).toBe('取回您为2026年12月3日 11:00 至 14:00 的 2 千瓦时支付的 €0.34 中的 €0.034（交付不足：售出 2 千瓦时，交付 1.8 千瓦时）。');
  });

  it('reclaim: the seller never settled, everything comes back', () => {
    const r = record({ filledWh: 2000n, escrow: 340_000n });
    const fill = { energyWh: 2000n, paid: 340_000n, reclaimed: false };
    const late = START + 3n * 3600n + GRACE;
    const figures = reclaimFigures(r, fill, late, GRACE);
    expect(figures).toEqual({ amount: 340_000n, cause: 'unsettled', deliveredWh: null });
    const v = view(r, late, { call: 'reclaim', fill, ...figures });
    expect(say('en', v)).toBe('Take back all €0.34 you paid for 2 kWh between 11:00 AM and 2:00 PM on Dec 3, 2026 (the seller did not prove delivery in time).');
    expect(say('zh-CN', v)).toBe('取回您为2026年12月3日 11:00 至 14:00 的 2 千瓦时支付的全部 €0.34（卖方未按时证明交付）。');
  });

  it('reclaim: nothing to take back yet is said as such, with no amount made up', () => {
    const r = record({ filledWh: 2000n, escrow: 340_000n });
    const fill = { energyWh: 2000n, paid: 340_000n, reclaimed: false };
    const figures = reclaimFigures(r, fill, DAY_AFTER, GRACE); // before the grace ends, not settled
    expect(figures).toEqual({ amount: null, cause: null, deliveredWh: null });
    const v = view(r, DAY_AFTER, { call: 'reclaim', fill, ...figures });
    expect(say('en', v)).toBe('Nothing of the €0.34 you paid for 2 kWh between 11:00 AM and 2:00 PM on Dec 3, 2026 can be taken back now: the ledger would refuse this.');
    expect(say('zh-CN', v)).toBe('您为2026年12月3日 11:00 至 14:00 的 2 千瓦时支付的 €0.34 目前没有可取回的部分：账本会拒绝此操作。');
  });

  it('a call the chain refuses as things stand is said to fail; one it accepts gets no warning', () => {
    const refused = offerCallView({ offerHash: '0x' + 'ab'.repeat(32), record: record(), token: eurd, household, chainNow: DAY_BEFORE, accepted: false }, { call: 'cancel' });
    const i18n = new I18n();
    expect(offerCallWarning(i18n.t, refused)).toBe('As things stand on the ledger, this call would fail: nothing would change but the fee you pay.');
    i18n.language = 'zh-CN';
    expect(offerCallWarning(i18n.t, refused)).toBe('按账本当前的状态，此调用会失败：除了您支付的手续费，什么都不会改变。');
    expect(offerCallWarning(i18n.t, view(record(), DAY_BEFORE, { call: 'cancel' }))).toBeNull();
  });

  it('a token that is not the household’s money is named by its symbol, never converted', () => {
    const i18n = new I18n();
    const v = offerCallView(
      { offerHash: '0x' + 'ab'.repeat(32), record: record({ pricePerKWh: 170_000_000_000_000n }), token: { address: '0x' + '00'.repeat(20), native: true, info: { symbol: 'ETH', decimals: 18 } }, household, chainNow: DAY_BEFORE, accepted: true },
      { call: 'cancel' },
    );
    expect(offerCallSentence(i18n.t, i18n.dateTime, i18n.number, v)).toBe(
      'Cancel your offer to sell 2 kWh between 11:00 AM and 2:00 PM tomorrow at 0.00017 ETH/kWh; nobody has bought any of it.',
    );
  });
});
