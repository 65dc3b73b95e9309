import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tariffSchema, type Tariff } from '../../../main/history/tariffs/schema.js';
import { dayWindows, fromDraft, parsePrice, priceText, rateText, toDraft } from './tariff-draft.js';

const builtins = fs.readdirSync('resources/tariffs').filter((f) => f.endsWith('.json'));
const load = (file: string): Tariff => tariffSchema.parse(JSON.parse(fs.readFileSync(`resources/tariffs/${file}`, 'utf8')));

describe('tariff draft: prices in the household’s currency, exact both ways', () => {
  it('shows thousandths of a fen as yuan, and reads yuan back without floating point', () => {
    expect(priceText(56_800, 2)).toBe('0.568');
    expect(priceText(53_350, 2)).toBe('0.5335');
    expect(priceText(1_250_000, 2)).toBe('12.50');
    expect(priceText(0, 2)).toBe('0.00');
    expect(priceText(41_530, 2)).toBe('0.4153');
    expect(priceText(7, 0)).toBe('0.007'); // a currency without minor units (JPY): thousandths of a yen
    expect(parsePrice('0.568', 2)).toBe(56_800);
    expect(parsePrice('0,4153', 2)).toBe(41_530);
    expect(parsePrice('0.1', 2)).toBe(10_000);
    expect(parsePrice('1.005', 2)).toBe(100_500); // 1.005 × 100000 is 100499.99… in floats
    expect(parsePrice('0.000001', 2)).toBeNull(); // finer than a thousandth of a fen: not exact
    expect(parsePrice('-1', 2)).toBeNull();
    expect(parsePrice('abc', 2)).toBeNull();
    expect(rateText(500)).toBe('5');
    expect(rateText(825)).toBe('8.25');
    expect(rateText(1000)).toBe('10');
  });

  it.each(builtins)('round-trips %s through the form unchanged', (file) => {
    const t = load(file);
    const back = fromDraft(toDraft(t));
    expect(back.problems).toEqual([]);
    expect(back.tariff).toEqual(t);
  });

  it('edits a price as text and saves its exact integer', () => {
    const draft = toDraft(load('cn-zhejiang-ladder-tou.json'));
    expect(draft.windows).toEqual([
      { name: 'peak', price: '0.568' },
      { name: 'valley', price: '0.288' },
    ]);
    expect(draft.tiers!.schedules[0]!.bands.map((b) => [b.upTo, b.adder])).toEqual([
      ['2760', '0.00'],
      ['4800', '0.05'],
      ['', '0.30'],
    ]);
    draft.windows[0]!.price = '0.6';
    draft.standing.push({ id: 'meter', per: 'month', amount: '2' });
    draft.taxes.push({ id: 'vat', rate: '13', base: 'all' });
    const r = fromDraft(draft);
    expect(r.problems).toEqual([]);
    expect(r.tariff!.energy.prices.peak).toBe(60_000);
    expect(r.tariff!.standingCharges).toEqual([{ id: 'meter', per: 'month', amount: 200_000 }]);
    expect(r.tariff!.taxes).toEqual([{ id: 'vat', rateBasisPoints: 1300, base: 'all' }]);
  });

  it('names each field that is not a price, and what the schema refuses', () => {
    const draft = toDraft(load('cn-zhejiang-ladder-tou.json'));
    draft.windows[1]!.price = 'cheap';
    draft.tiers!.schedules[0]!.bands[0]!.upTo = '-5';
    draft.taxes.push({ id: 'vat', rate: '13.333', base: 'all' });
    expect(fromDraft(draft).problems).toEqual([
      { field: 'windows.1.price', kind: 'price' },
      { field: 'tiers.0.bands.0.upTo', kind: 'kwh' },
      { field: 'taxes.0.rate', kind: 'rate' },
    ]);
    const gap = toDraft(load('cn-zhejiang-ladder-tou.json'));
    gap.rules[0]!.periods[1]!.from = '23:00'; // 22:00–23:00 is now in no window
    const r = fromDraft(gap);
    expect(r.problems).toMatchObject([{ kind: 'schema', path: 'energy.schedule' }]);
  });

  it('lays a day out in windows for the 24-hour strip', () => {
    const draft = toDraft(load('cn-zhejiang-ladder-tou.json'));
    const day = dayWindows(draft.rules, 6, 'mon');
    expect(day).toHaveLength(96);
    expect(day[0]).toBe('valley');
    expect(day[32]).toBe('peak'); // 08:00
    expect(day[87]).toBe('peak'); // 21:45
    expect(day[88]).toBe('valley'); // 22:00
  });
});
