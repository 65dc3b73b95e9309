import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBill, tierPeriodStart } from '../../../../main/history/bill/bill.js';
import { compareBill } from '../../../../main/history/bill/compare.js';
import { divRound, energyAmount } from '../../../../main/history/bill/rounding.js';
import { tariffSchema, type Tariff } from '../../../../main/history/tariffs/schema.js';

function load(id: string): Tariff {
  return tariffSchema.parse(JSON.parse(fs.readFileSync(`resources/tariffs/${id}.json`, 'utf8')));
}
const CN = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);
const round = (wh: number, milli: number) => {
  // Reference rounding done differently from the code under test: with bigint and a remainder check.
  const p = BigInt(wh) * BigInt(milli);
  return Number(p / 1_000_000n + (p % 1_000_000n >= 500_000n ? 1n : 0n));
};

describe('divRound / energyAmount', () => {
  it('rounds half away from zero, exactly', () => {
    expect([divRound(5, 10), divRound(-5, 10), divRound(4, 10), divRound(-14, 10), divRound(15, 10)]).toEqual([1, -1, 0, -1, 2]);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }), (n, d) => {
        const q = divRound(n, d);
        const err = Math.abs(n - q * d);
        return 2 * err <= d && (2 * err < d || Math.abs(q * d) > Math.abs(n));
      }),
    );
    expect(energyAmount(3_000, 61_800)).toBe(185); // 185.4 fen
    expect(energyAmount(4_000_000_000_000, 3_000_000)).toBe(12_000_000_000_000); // product past 2^53: exact via bigint
  });
});

describe('computeBill', () => {
  it('splits energy at the Zhejiang annual ladder threshold and prices each window and band', () => {
    const t = load('cn-zhejiang-ladder-tou');
    const [b1, b2] = t.tiers!.schedules[0].bands;
    const prior = b1.upToKWh! * 1000 - 5_000; // 5 kWh left in the first band
    const bill = computeBill({
      tariff: t,
      from: CN(2025, 6, 1),
      to: CN(2025, 7, 1),
      priorImportWh: prior,
      intervals: [
        { start: CN(2025, 6, 2, 10), importWh: 8_000, exportWh: 1_000 }, // peak: 5 kWh band 1, 3 kWh band 2
        { start: CN(2025, 6, 2, 23), importWh: 4_000, exportWh: 0 }, // valley, band 2
        { start: CN(2025, 6, 3, 7, 45), importWh: 1_000, exportWh: 0 }, // still valley
      ],
    });
    const line = (k: string) => bill.lines.find((l) => l.key === k)!;
    expect(line('energy:peak:1')).toMatchObject({ energyWh: 5_000, amount: round(5_000, t.energy.prices.peak + b1.adder) });
    expect(line('energy:peak:2')).toMatchObject({ energyWh: 3_000, amount: round(3_000, t.energy.prices.peak + b2.adder) });
    expect(line('energy:valley:2')).toMatchObject({ energyWh: 5_000, amount: round(5_000, t.energy.prices.valley + b2.adder) });
    const ex = t.export.kind === 'feed-in' ? t.export.price : 0;
    expect(line('export').amount).toBe(-round(1_000, ex));
    expect(bill.total).toBe(bill.lines.reduce((s, l) => s + l.amount, 0));
    expect(bill.importWh).toBe(13_000);
  });

  it('restarts the annual ladder at the tariff year and finds the period start for prior usage', () => {
    const t = load('cn-zhejiang-ladder-flat');
    const bill = computeBill({
      tariff: t,
      from: CN(2025, 12, 31),
      to: CN(2026, 1, 2),
      priorImportWh: 4_800_000, // year used up to band 3
      intervals: [
        { start: CN(2025, 12, 31, 12), importWh: 2_000, exportWh: 0 },
        { start: CN(2026, 1, 1, 12), importWh: 2_000, exportWh: 0 },
      ],
    });
    expect(bill.lines.map((l) => [l.key, l.energyWh])).toEqual([
      ['energy:flat:1', 2_000],
      ['energy:flat:3', 2_000],
    ]);
    expect(tierPeriodStart(t, CN(2025, 7, 9, 3))).toBe(CN(2025, 1, 1));
  });

  it('uses seasonal monthly bands', () => {
    const t = load('example-monthly-seasonal-ladder');
    const summer = computeBill({ tariff: t, from: CN(2025, 7, 1), to: CN(2025, 8, 1), priorImportWh: 0, intervals: [{ start: CN(2025, 7, 5), importWh: 250_000, exportWh: 0 }] });
    const winter = computeBill({ tariff: t, from: CN(2025, 1, 1), to: CN(2025, 2, 1), priorImportWh: 0, intervals: [{ start: CN(2025, 1, 5), importWh: 250_000, exportWh: 0 }] });
    expect(summer.lines.map((l) => l.key)).toEqual(['energy:flat:1']);
    expect(winter.lines.map((l) => [l.key, l.energyWh])).toEqual([
      ['energy:flat:1', 200_000],
      ['energy:flat:2', 50_000],
    ]);
  });

  it('picks windows by weekday and season, adds standing charges per local day and VAT on everything', () => {
    const t = load('example-eu-tou-feed-in');
    const NL = (y: number, m: number, d: number, h: number) => Date.UTC(y, m - 1, d, h - (m >= 4 && m <= 10 ? 2 : 1));
    const from = NL(2025, 1, 6, 0);
    const bill = computeBill({
      tariff: t,
      from,
      to: NL(2025, 1, 13, 0), // 7 days
      priorImportWh: 0,
      intervals: [
        { start: NL(2025, 1, 6, 8), importWh: 1_000, exportWh: 0 }, // Monday winter 08:00: peak
        { start: NL(2025, 1, 11, 8), importWh: 1_000, exportWh: 500 }, // Saturday 08:00: shoulder
      ],
    });
    const keys = bill.lines.map((l) => l.key);
    expect(keys).toEqual(['energy:peak:0', 'energy:shoulder:0', 'export:shoulder', 'standing:service', 'tax:vat']);
    const standing = bill.lines[3];
    expect(standing.quantity).toBe(7);
    expect(standing.amount).toBe(divRound(7 * t.standingCharges[0].amount, 1000));
    const subtotal = bill.lines.slice(0, 4).reduce((s, l) => s + l.amount, 0);
    expect(bill.lines[4].amount).toBe(divRound(subtotal * 500, 10_000));
    const summerWeekday = computeBill({ tariff: t, from: NL(2025, 6, 2, 0), to: NL(2025, 6, 3, 0), priorImportWh: 0, intervals: [{ start: NL(2025, 6, 2, 8), importWh: 1_000, exportWh: 0 }] });
    expect(summerWeekday.lines[0].key).toBe('energy:shoulder:0');
  });

  it('nets export against import in net metering and credits the excess at its own rate', () => {
    const t = load('example-flat-net-metering');
    const NY = (d: number, h: number) => Date.UTC(2025, 2, d, h + 5);
    const bill = computeBill({
      tariff: t,
      from: Date.UTC(2025, 2, 1, 5),
      to: Date.UTC(2025, 3, 1, 4),
      priorImportWh: 0,
      intervals: [
        { start: NY(3, 12), importWh: 0, exportWh: 9_000 },
        { start: NY(3, 20), importWh: 6_000, exportWh: 0 },
      ],
    });
    expect(bill.lines.find((l) => l.key === 'net:flat')).toMatchObject({ energyWh: 6_000, amount: -round(6_000, t.energy.prices.flat) });
    expect(bill.lines.find((l) => l.key === 'export:excess')).toMatchObject({ energyWh: 3_000 });
    expect(bill.lines.find((l) => l.key === 'standing:service')?.quantity).toBe(1);
  });
});

describe('compareBill', () => {
  const t = load('cn-zhejiang-ladder-tou');
  const bill = computeBill({
    tariff: t,
    from: CN(2025, 6, 1),
    to: CN(2025, 7, 1),
    priorImportWh: 0,
    coverage: 990,
    intervals: [
      { start: CN(2025, 6, 2, 10), importWh: 100_000, exportWh: 0 },
      { start: CN(2025, 6, 2, 23), importWh: 50_000, exportWh: 0 },
    ],
  });
  const peak = bill.lines[0];
  const valley = bill.lines[1];

  it('matches a bill typed in as computed, and calls a one-fen difference rounding', () => {
    const same = compareBill(bill, { total: bill.total, lines: bill.lines.map((l) => ({ key: l.key, energyWh: l.energyWh, amount: l.amount })) });
    expect(same.status).toBe('match');
    const off = compareBill(bill, { total: bill.total + 1, lines: [{ key: peak.key, energyWh: peak.energyWh, amount: peak.amount + 1 }, { key: valley.key, amount: valley.amount }] });
    expect(off.status).toBe('rounding');
    expect(off.rows[0].reasons).toEqual(['rounding']);
  });

  it('explains which line differs, by how much, and the likely reason', () => {
    const cmp = compareBill(bill, {
      total: bill.total + 2_000,
      lines: [
        { key: peak.key, energyWh: peak.energyWh! + 20_000, amount: peak.amount + 1_136 },
        { key: valley.key, energyWh: valley.energyWh, amount: valley.amount + 500 },
        { key: 'standing:meter-rent', amount: 364 },
      ],
    });
    expect(cmp.status).toBe('differs');
    expect(cmp.totalDiff).toBe(2_000);
    expect(cmp.rows[0]).toMatchObject({ energyDiffWh: 20_000, amountDiff: 1_136, reasons: ['energy-differs', 'history-gaps'] });
    expect(cmp.rows[1].reasons).toEqual(['price-differs']);
    expect(cmp.rows[1].impliedUnitPrice).toBe(Math.round(((valley.amount + 500) * 1e6) / valley.energyWh!));
    expect(cmp.rows[2]).toMatchObject({ key: 'standing:meter-rent', reasons: ['not-in-tariff'] });
    expect(cmp.largestKey).toBe(peak.key);
  });
});

describe('compareBill headline (issue 17)', () => {
  const t = load('cn-zhejiang-ladder-tou');
  // A month with more valley money than peak money, so the largest line is not the one that differs.
  const bill = computeBill({
    tariff: t,
    from: CN(2025, 6, 1),
    to: CN(2025, 7, 1),
    priorImportWh: 0,
    intervals: [
      { start: CN(2025, 6, 2, 10), importWh: 40_000, exportWh: 0 },
      { start: CN(2025, 6, 2, 23), importWh: 300_000, exportWh: 0 },
    ],
  });
  const peak = bill.lines.find((l) => l.key === 'energy:peak:1')!;
  const valley = bill.lines.find((l) => l.key === 'energy:valley:1')!;

  it('names "Energy, peak" when the whole difference is there, though only peak and the total are typed', () => {
    expect(valley.amount).toBeGreaterThan(peak.amount + 300);
    const cmp = compareBill(bill, { total: bill.total + 300, lines: [{ key: peak.key, amount: peak.amount + 300 }] });
    expect(cmp.largestKey).toBe(peak.key);
    expect(cmp.status).toBe('differs');
    expect(cmp.untypedDiff).toBe(0);
    const v = cmp.rows.find((r) => r.key === valley.key)!;
    expect(v).toMatchObject({ status: 'unchecked', reasons: ['not-typed'], amountDiff: null });
  });

  it('names the line with the largest absolute difference when every line is typed, credits and debits alike', () => {
    const cmp = compareBill(bill, {
      total: bill.total + 300 - 700,
      lines: [
        { key: peak.key, amount: peak.amount + 300 },
        { key: valley.key, amount: valley.amount - 700 },
      ],
    });
    expect(cmp.largestKey).toBe(valley.key);
    expect(cmp.untypedDiff).toBe(0);
    const small = compareBill(bill, {
      total: bill.total + 300 - 20,
      lines: [
        { key: peak.key, amount: peak.amount + 300 },
        { key: valley.key, amount: valley.amount - 20 },
      ],
    });
    expect(small.largestKey).toBe(peak.key);
  });

  it('says a line left empty is not on the bill when the total leaves out exactly its amount', () => {
    const cmp = compareBill(bill, { total: peak.amount, lines: [{ key: peak.key, amount: peak.amount }] });
    const v = cmp.rows.find((r) => r.key === valley.key)!;
    expect(v).toMatchObject({ status: 'differs', reasons: ['not-on-bill'], amountDiff: -valley.amount });
    expect(cmp.largestKey).toBe(valley.key);
  });

  it('names no line when more of the difference sits in lines left empty than in any typed one', () => {
    const cmp = compareBill(bill, { total: bill.total + 5_000, lines: [{ key: peak.key, amount: peak.amount + 300 }] });
    expect(cmp.untypedDiff).toBe(4_700);
    expect(cmp.largestKey).toBeNull();
    expect(cmp.status).toBe('differs');
  });
});
