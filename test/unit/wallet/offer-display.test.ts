import { describe, expect, it } from 'vitest';
import { offerView, tokenIsCurrency } from '../../../main/wallet/offer-display.js';

const message = {
  seller: '0x' + '11'.repeat(20),
  meterId: '0x' + '0a'.repeat(32),
  energyWh: 1501,
  minFillWh: 47,
  pricePerKWh: '120000',
  token: '0x' + '22'.repeat(20),
  deliveryStart: 1_767_225_600,
  deliveryEnd: 1_767_229_200,
  expiry: 1_767_225_000,
  nonce: '7',
};
const usdc = { address: message.token, native: false, info: { symbol: 'USDC', decimals: 6 } };

describe('offer in plain terms', () => {
  it('names a currency only by a token symbol that is the ISO code, or the code and one letter', () => {
    for (const [symbol, currency] of [['EUR', 'EUR'], ['EURC', 'EUR'], ['EURe', 'EUR'], ['USDC', 'USD'], ['usdt', 'USD'], ['GBPT', 'GBP']]) {
      expect(tokenIsCurrency(symbol!, currency!), `${symbol} ${currency}`).toBe(true);
    }
    for (const [symbol, currency] of [['ETH', 'EUR'], ['EWT', 'EUR'], ['DAI', 'USD'], ['USDC', 'EUR'], ['EU', 'EUR'], ['EURCOIN', 'EUR'], ['XEUR', 'EUR'], ['EUR', 'eu']]) {
      expect(tokenIsCurrency(symbol!, currency!), `${symbol} ${currency}`).toBe(false);
    }
  });

  it('shows kWh and a total that rounds up like the contract’s costOf, in the token’s decimals', () => {
    const v = offerView(message, usdc, { timeZone: 'Europe/Amsterdam', currency: 'USD' });
    expect(v).toMatchObject({
      energyWh: '1501',
      energyKWh: '1.501',
      pricePerKWh: { units: '120000', amount: '0.12' },
      // 1501 × 120000 / 1000 = 180120 exactly; one Wh more than a round number checks the ceiling below.
      total: { units: '180120', amount: '0.18012' },
      timeZone: 'Europe/Amsterdam',
      householdCurrency: 'USD',
      inHouseholdCurrency: true,
      deliveryStart: '1767225600',
    });
    const odd = offerView({ ...message, pricePerKWh: '1' }, usdc, null);
    expect(odd.total).toEqual({ units: '2', amount: '0.000002' }); // ceil(1501 / 1000)
  });

  it('assumes no exchange rate: the chain’s coin or another token is never shown in the household currency', () => {
    const eth = offerView({ ...message, token: '0x' + '00'.repeat(20) }, { address: '0x' + '00'.repeat(20), native: true, info: { symbol: 'ETH', decimals: 18 } }, { timeZone: 'UTC', currency: 'EUR' });
    expect(eth).toMatchObject({ householdCurrency: 'EUR', inHouseholdCurrency: false, token: { native: true, symbol: 'ETH' } });
    expect(offerView(message, usdc, { timeZone: 'UTC', currency: 'EUR' }).inHouseholdCurrency).toBe(false);
    const unknown = offerView(message, { ...usdc, info: null }, { timeZone: 'UTC', currency: 'USD' });
    expect(unknown).toMatchObject({ inHouseholdCurrency: false, token: { symbol: null, decimals: 0 }, pricePerKWh: { amount: '120000' } });
  });

  it('shows times in UTC when the household is unknown, and keeps uint64 values exact', () => {
    const v = offerView({ ...message, deliveryEnd: '18446744073709551615' }, usdc, null);
    expect(v.timeZone).toBe('UTC');
    expect(v.deliveryEnd).toBe('18446744073709551615');
    expect(v.householdCurrency).toBeNull();
  });
});
