import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { costOf as uiCost, formatCoin, formatMoney, parseCoin } from '../../../renderer/components/market/coin.js';
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
  const t = (key: string, facts: Record<string, string>) => `${key}:${JSON.stringify(facts)}`;
  it('shows native coin in whole coins and a token in its smallest unit, named by address', () => {
    expect(formatMoney('1500000000000000000', '0x0000000000000000000000000000000000000000', t)).toBe('1.5 market.coin:{}');
    expect(formatMoney('123457', '0x5FbDB2315678afecb367f032d93F642f64180aa3', t)).toBe('market.tokenAmount:{"amount":"123457","token":"0x5FbD…0aa3"}');
  });
});
