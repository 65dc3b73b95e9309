import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeBill } from '../../../../main/history/bill/bill.js';
import { tierProgress } from '../../../../main/history/bill/tier-progress.js';
import { tariffSchema, type Tariff } from '../../../../main/history/tariffs/schema.js';

const load = (id: string): Tariff => tariffSchema.parse(JSON.parse(fs.readFileSync(`resources/tariffs/${id}.json`, 'utf8')));
const CN = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h - 8);

describe('tierProgress', () => {
  const zj = load('cn-zhejiang-ladder-tou');

  it('counts the Zhejiang calendar year and says how much is left in the band', () => {
    const p = tierProgress(zj, CN(2025, 6, 20, 12), 1_234_567)!;
    expect(p).toEqual({
      basis: 'annual',
      periodFrom: CN(2025, 1, 1),
      periodTo: CN(2026, 1, 1),
      usedWh: 1_234_567,
      tier: 1,
      tiers: 3,
      tierFromWh: 0,
      tierToWh: 2_760_000,
      inTierWh: 1_234_567,
      leftWh: 2_760_000 - 1_234_567,
      adder: 0,
      nextAdder: 5000,
    });
  });

  it('puts a full band behind it exactly where the bill prices the next Wh in the next band', () => {
    const full = tierProgress(zj, CN(2025, 10, 1), 2_760_000)!;
    expect(full).toMatchObject({ tier: 2, inTierWh: 0, leftWh: 2_040_000, adder: 5000, nextAdder: 30000 });
    const bill = computeBill({ tariff: zj, from: CN(2025, 10, 1), to: CN(2025, 10, 2), priorImportWh: 2_760_000, intervals: [{ start: CN(2025, 10, 1, 10), importWh: 1, exportWh: 0 }] });
    expect(bill.lines[0]!.key).toBe('energy:peak:2');
    expect(tierProgress(zj, CN(2025, 10, 1), 2_759_999)).toMatchObject({ tier: 1, leftWh: 1 });
    expect(tierProgress(zj, CN(2025, 12, 31), 9_000_000)).toMatchObject({ tier: 3, tierToWh: null, leftWh: null, nextAdder: null, inTierWh: 4_200_000 });
  });

  it('follows a monthly ladder and its season: the summer band is wider', () => {
    const t = load('example-monthly-seasonal-ladder');
    expect(tierProgress(t, CN(2025, 7, 15), 250_000)).toMatchObject({ basis: 'monthly', periodFrom: CN(2025, 7, 1), periodTo: CN(2025, 8, 1), tier: 1, leftWh: 10_000 });
    expect(tierProgress(t, CN(2025, 12, 15), 250_000)).toMatchObject({ periodFrom: CN(2025, 12, 1), periodTo: CN(2026, 1, 1), tier: 2, tierFromWh: 200_000, leftWh: 150_000 });
  });

  it('is null for a tariff without tiers', () => {
    expect(tierProgress(load('example-eu-tou-feed-in'), Date.UTC(2025, 5, 1), 10)).toBeNull();
  });
});
