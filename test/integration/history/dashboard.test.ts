import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import type { ResponseOf } from '../../../main/api/contract.js';
import { computeBill } from '../../../main/history/bill/bill.js';
import { historyHandlers } from '../../../main/history/handlers.js';
import { createHistoryService, type HistoryService } from '../../../main/history/service.js';
import { simulate } from '../../fixtures/history/temp-store.js';

// The Overview's figures against the real store: "cost so far" is the Bills page's, the forecast
// is the tariff's price of the month's measured quarter hours plus the average day for the rest,
// and the tier progress is the year's import against the Zhejiang ladder.
const CN = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);
const dirs: string[] = [];
const services: HistoryService[] = [];
afterEach(() => {
  while (services.length) services.pop()!.dispose();
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

function setup(now: number, tariffId: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-dashboard-'));
  dirs.push(dataDir);
  const service = createHistoryService({ dataDir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs'), now: () => now });
  services.push(service);
  service.setActiveTariff(tariffId);
  const dispatch = createDispatcher(historyHandlers(service));
  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const r = await dispatch(channel, request, { host: 'cli' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}`);
    return r.result as T;
  };
  return { service, call };
}

type Dashboard = ResponseOf<'history.dashboard'>;

describe('history.dashboard', () => {
  it('gives today by quarter hour, 30 days with their cost, the month so far as Bills has it, and a forecast with its basis', async () => {
    const now = CN(2025, 6, 20, 12, 7);
    const { service, call } = setup(now, 'cn-zhejiang-ladder-tou');
    const samples = simulate({ from: CN(2025, 1, 1), to: now + 1, stepMs: 60_000, seed: 7 });
    service.append(samples);
    const d = await call<Dashboard>('history.dashboard', {});

    expect(d.timeZone).toBe('Asia/Shanghai');
    expect(d.today.from).toBe(CN(2025, 6, 20));
    expect(d.today.t).toHaveLength(96);
    const at = (ts: number) => samples.find((s) => s.ts === ts)!;
    const todayImport = d.today.importWh.reduce<number>((s, v) => s + (v ?? 0), 0);
    expect(todayImport).toBe(samples.at(-1)!.importWh - at(CN(2025, 6, 20)).importWh);
    expect(d.today.importWh[60]).toBeNull(); // 15:00 has not come yet

    expect(d.days).toHaveLength(30);
    expect(d.days[0]!.start).toBe(CN(2025, 5, 22));
    expect(d.days.at(-1)!.start).toBe(CN(2025, 6, 20));
    const june3 = d.days.find((x) => x.start === CN(2025, 6, 3))!;
    expect(june3.importWh).toBe(at(CN(2025, 6, 4)).importWh - at(CN(2025, 6, 3)).importWh);
    expect(june3.cost).toBe(service.bill(CN(2025, 6, 3), CN(2025, 6, 4)).total);

    // One "cost so far": the Overview's month equals the Bills page's bill for June, asked today.
    const bills = await call<{ total: number; to: number; restStanding: number }>('bill.compute', { from: CN(2025, 6, 1), to: CN(2025, 7, 1) });
    expect(d.money!.monthSoFar).toBe(bills.total);
    expect(bills.to).toBe(now);
    expect(d.money!.todayCost).toBe(d.days.at(-1)!.cost);

    // The forecast: June's measured quarter hours, then the average of 13–19 June for the rest.
    const f = d.money!.forecast!;
    expect(f.basis).toMatchObject({ days: 7, from: CN(2025, 6, 13), to: CN(2025, 6, 20) });
    const tariff = service.tariff();
    const quarters = service.store.db
      .prepare('SELECT start, import_wh AS importWh, export_wh AS exportWh FROM rollups WHERE level = 2 AND start >= ? AND start < ? ORDER BY start')
      .all(CN(2025, 1, 1), CN(2025, 7, 1)) as Array<{ start: number; importWh: number; exportWh: number }>;
    const slot = (ts: number) => Math.floor(((ts + 8 * 3_600_000) % 86_400_000) / 900_000);
    const sums = Array.from({ length: 96 }, () => [0, 0]);
    for (const q of quarters) if (q.start >= CN(2025, 6, 13) && q.start < CN(2025, 6, 20)) (sums[slot(q.start)]![0]! += q.importWh), (sums[slot(q.start)]![1]! += q.exportWh);
    const avg = sums.map(([i, e]) => [Math.round(i! / 7), Math.round(e! / 7)]);
    expect(f.basis.dailyImportWh).toBe(avg.reduce((s, [i]) => s + i!, 0));
    const measured = quarters.filter((q) => q.start >= CN(2025, 6, 1) && q.start <= now);
    const rest = [];
    for (let q = CN(2025, 6, 20, 12, 15); q < CN(2025, 7, 1); q += 900_000) rest.push({ start: q, importWh: avg[slot(q)]![0]!, exportWh: avg[slot(q)]![1]! });
    const prior = quarters.filter((q) => q.start < CN(2025, 6, 1)).reduce((s, q) => s + q.importWh, 0);
    const byHand = computeBill({ tariff, from: CN(2025, 6, 1), to: CN(2025, 7, 1), intervals: [...measured, ...rest], priorImportWh: prior });
    expect(f.total).toBe(byHand.total);
    expect(f.importWh).toBe(measured.reduce((s, q) => s + q.importWh, 0) + rest.reduce((s, q) => s + q.importWh, 0));
    expect(f.total).toBeGreaterThan(d.money!.monthSoFar);

    // The Zhejiang ladder counts the calendar year: band 1 up to 2760 kWh.
    const used = samples.at(-1)!.importWh - samples[0]!.importWh;
    expect(d.tier).toMatchObject({ basis: 'annual', periodFrom: CN(2025, 1, 1), periodTo: CN(2026, 1, 1), usedWh: used, tiers: 3 });
    const band = used < 2_760_000 ? 1 : used < 4_800_000 ? 2 : 3;
    expect(d.tier!.tier).toBe(band);
    if (band === 1) expect(d.tier).toMatchObject({ tierFromWh: 0, tierToWh: 2_760_000, inTierWh: used, leftWh: 2_760_000 - used });
    if (band === 2) expect(d.tier).toMatchObject({ tierFromWh: 2_760_000, tierToWh: 4_800_000, inTierWh: used - 2_760_000, leftWh: 4_800_000 - used });
  });

  it('explains where the month so far and the whole month differ: the standing charge of the days not begun', async () => {
    // Amsterdam's example tariff charges a service fee per day (and VAT on it).
    const now = Date.UTC(2025, 5, 10, 10); // 10 June, 12:00 in Amsterdam
    const { service, call } = setup(now, 'example-eu-tou-feed-in');
    service.append(simulate({ from: Date.UTC(2025, 5, 1) - 7_200_000, to: now + 1, stepMs: 60_000 }));
    const soFar = await call<{ total: number; restStanding: number; lines: Array<{ key: string; quantity: number | null }> }>('bill.compute', {
      from: Date.UTC(2025, 4, 31, 22),
      to: Date.UTC(2025, 5, 30, 22),
    });
    expect(soFar.lines.find((l) => l.key === 'standing:service')!.quantity).toBe(10); // 1–10 June have begun
    const tariff = service.tariff();
    const perDay = tariff.standingCharges[0]!.amount;
    // 20 more days of the fee, with 5 % VAT on it, each rounded as bills round.
    const whole = service.bill(Date.UTC(2025, 4, 31, 22), Date.UTC(2025, 5, 30, 22));
    expect(whole.lines.find((l) => l.key === 'standing:service')!.quantity).toBe(30);
    expect(soFar.restStanding).toBe(whole.total - soFar.total);
    expect(soFar.restStanding).toBeGreaterThanOrEqual(Math.floor((20 * perDay) / 1000));
    const d = await call<Dashboard>('history.dashboard', {});
    expect(d.money!.monthSoFar).toBe(soFar.total);
    expect(d.money!.restStanding).toBe(soFar.restStanding);
    expect(d.tier).toBeNull(); // not a tiered tariff
  });

  it('has no costs without a tariff, and no forecast without a complete day to average', async () => {
    const now = CN(2025, 6, 20, 12);
    const { service, call } = setup(now, 'cn-zhejiang-ladder-flat');
    service.append(simulate({ from: CN(2025, 6, 20, 1), to: now, stepMs: 60_000 }));
    const d = await call<Dashboard>('history.dashboard', {});
    expect(d.money!.forecast).toBeNull();
    expect(d.tier!.tier).toBe(1);
    service.store.db.prepare("DELETE FROM meta WHERE key = 'tariff.active'").run();
    const none = await call<Dashboard>('history.dashboard', {});
    expect(none.money).toBeNull();
    expect(none.tier).toBeNull();
    expect(none.days.every((x) => x.cost === null)).toBe(true);
  });

  it('prices each period of the totals at its cost so far when asked', async () => {
    const now = CN(2025, 6, 20, 12);
    const { service, call } = setup(now, 'cn-zhejiang-ladder-tou');
    service.append(simulate({ from: CN(2025, 4, 1), to: now, stepMs: 300_000 }));
    const r = await call<{ totals: Array<{ start: number; end: number; cost?: number | null }>; money: { currency: string } | null }>('history.totals', {
      from: CN(2025, 4, 1),
      to: CN(2025, 8, 1),
      period: 'month',
      cost: true,
    });
    expect(r.money?.currency).toBe('CNY');
    expect(r.totals.map((t) => t.cost)).toEqual([
      service.bill(CN(2025, 4, 1), CN(2025, 5, 1)).total,
      service.bill(CN(2025, 5, 1), CN(2025, 6, 1)).total,
      service.bill(CN(2025, 6, 1), now).total, // June so far
      null, // July has not begun
    ]);
    const plain = await call<{ totals: Array<{ cost?: number | null }>; money: unknown }>('history.totals', { from: CN(2025, 4, 1), to: CN(2025, 8, 1), period: 'month' });
    expect(plain.money).toBeNull();
    expect(plain.totals[0]!.cost).toBeUndefined();
  });

  it('prices many periods in one pass exactly as a bill each, across the ladder year and a monthly ladder', async () => {
    const now = CN(2025, 2, 10, 12);
    for (const id of ['cn-zhejiang-ladder-tou', 'example-monthly-seasonal-ladder', 'example-eu-tou-feed-in']) {
      const { service } = setup(now, id);
      service.append(simulate({ from: CN(2024, 11, 1), to: now, stepMs: 900_000, seed: 5 }));
      const tariff = service.tariff();
      const days = [];
      for (let d = 0; d < 80; d++) days.push({ start: CN(2024, 12, 1 + d), end: CN(2024, 12, 2 + d) }); // 1 Dec … 18 Feb
      const batched = service.periodCosts(days, tariff);
      const oneByOne = days.map((p) => (p.start <= now ? service.billSoFar(p.start, p.end, undefined, tariff).bill.total : null));
      expect(batched).toEqual(oneByOne);
      expect(batched.filter((c) => c === null)).toHaveLength(days.filter((p) => p.start > now).length);
    }
  });
});
