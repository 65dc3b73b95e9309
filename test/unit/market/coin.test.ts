import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { costOf as uiCost, formatCoin, parseCoin } from '../../../renderer/components/market/coin.js';
import { formatTariffRate, formatTokenAmount, formatTokenPrice, parseTokenAmount } from '../../../renderer/components/market/money.js';
import { costOf } from '../../../main/market/pricing.js';

describe('coin amounts on screen', () => {
  it('formats wei as coins without losing digits that matter', () => {
    expect(formatCoin('190000000000555')).toBe('0.00019');
    expect(formatCoin('190000000000555', 18)).toBe('0.000190000000000555');
    expect(formatCoin('1000000000000000000')).toBe('1');
    expect(formatCoin('5')).toBe('0.00000001');
    expect(formatCoin('0')).toBe('0');
  });

  it('parses what a person types back to exact wei', () => {
    expect(parseCoin('0.00019')).toBe('190000000000000');
    expect(parseCoin('1')).toBe('1000000000000000000');
    expect(parseCoin('.5')).toBe('500000000000000000');
    expect(parseCoin('abc')).toBeNull();
    expect(parseCoin('')).toBeNull();
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (wei) => parseCoin(formatCoin(wei, 18)) === wei.toString()));
  });

  it('shows the same cost the contract charges', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (wh, price) => uiCost(wh, price.toString()) === costOf(wh, price).toString()));
  });
});

describe('money in an offer\'s currency', () => {
  const en = (v: number | bigint, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat('en', o).format(v);
  const zh = (v: number | bigint, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat('zh-CN', o).format(v);
  const eurd = { symbol: 'EURD', decimals: 6, currency: 'EUR' };
  const cnyd = { symbol: 'CNYD', decimals: 6, currency: 'CNY' };
  const eth = { symbol: 'ETH', decimals: 18, currency: null };

  it('shows a token that is a currency as that currency, exactly, with its digits beyond the cent', () => {
    expect(formatTokenAmount('399000', eurd, en)).toBe('€0.399');
    expect(formatTokenAmount('400000', eurd, en)).toBe('€0.40');
    expect(formatTokenPrice('190000', eurd, en)).toBe('€0.19/kWh');
    expect(formatTokenPrice('176500', eurd, en)).toBe('€0.1765/kWh');
    expect(formatTokenAmount('12345000000', cnyd, zh)).toBe('¥12,345.00');
  });

  it('shows any other token by its symbol, never as a currency', () => {
    expect(formatTokenAmount('1500000000000000000', eth, en)).toBe('1.5 ETH');
    expect(formatTokenAmount('123457', { symbol: 'TWD2', decimals: 6, currency: null }, en)).toBe('0.123457 TWD2');
  });

  it('shows a tariff rate (milli-minor per kWh) in its currency', () => {
    expect(formatTariffRate(38500, { currency: 'EUR', minorUnitDigits: 2 }, en)).toBe('€0.385/kWh');
    expect(formatTariffRate(56800, { currency: 'CNY', minorUnitDigits: 2 }, zh)).toBe('¥0.568/kWh');
    expect(formatTariffRate(8000, { currency: 'EUR', minorUnitDigits: 2 }, en)).toBe('€0.08/kWh');
  });

  it('parses a typed price into the token\'s smallest unit, refusing more digits than it has', () => {
    expect(parseTokenAmount('0.19', 6)).toBe('190000');
    expect(parseTokenAmount('0,19', 6)).toBe('190000');
    expect(parseTokenAmount('1.0000001', 6)).toBeNull();
    expect(parseTokenAmount('x', 6)).toBeNull();
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (u) => parseTokenAmount(formatCoin(u, 6, 6), 6) === u.toString()));
  });
});
