import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { runCli } from '../../../main/cli/run-cli.js';
import { commands } from '../../../main/cli/commands/index.js';
import { computeBill, tierPeriodStart } from '../../../main/history/bill/bill.js';
import { historyHandlers } from '../../../main/history/handlers.js';
import { createHistoryService, type HistoryService } from '../../../main/history/service.js';
import { simulate } from '../../fixtures/history/temp-store.js';

const CN = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h - 8);
const dirs: string[] = [];
const services: HistoryService[] = [];
afterEach(() => {
  while (services.length) services.pop()!.dispose();
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});
function setup(now = CN(2025, 6, 20, 12)) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-history-svc-'));
  dirs.push(dataDir);
  const events: unknown[] = [];
  const service = createHistoryService({ dataDir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs'), now: () => now, emit: (_e, p) => events.push(p) });
  services.push(service);
  const dispatch = createDispatcher(historyHandlers(service));
  const call = async (channel: string, request: unknown) => dispatch(channel, request, { host: 'cli' });
  return { dataDir, service, call, events };
}
function cliIO(env: Record<string, string>, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), stdin: Readable.from([stdin]), env }, out, err };
}

describe('history service through the contract', () => {
  it('answers queries, totals and overview from ingested readings, and emits history.appended', async () => {
    const { service, call, events } = setup();
    const samples = simulate({ from: CN(2025, 6, 1), to: CN(2025, 6, 20, 12), stepMs: 60_000 });
    service.append(samples);
    expect(events.length).toBe(1);
    const q = await call('history.query', { from: CN(2025, 6, 1), to: CN(2025, 6, 20) });
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    const series = q.result as { level: string; t: number[]; importWh: Array<number | null> };
    expect(series.level).toBe('quarter'); // 19 days × 96 ≤ 2000
    const sum = series.importWh.reduce<number>((s, v) => s + (v ?? 0), 0);
    const last = samples.filter((s) => s.ts <= CN(2025, 6, 20)).at(-1)!;
    expect(sum).toBe(last.importWh - samples[0].importWh);
    const totals = await call('history.totals', { from: CN(2025, 6, 1), to: CN(2025, 6, 20), period: 'week' });
    expect(totals.ok && (totals.result as { totals: unknown[] }).totals.length).toBe(4); // weeks of 26 May … 16 June
    const bad = await call('history.query', { from: 10, to: 5 });
    expect(!bad.ok && bad.error.code).toBe('HISTORY_RANGE_INVALID');

    expect((await call('tariff.setActive', { id: 'cn-zhejiang-ladder-tou' })).ok).toBe(true);
    const ov = await call('history.overview', {});
    expect(ov.ok).toBe(true);
    if (!ov.ok) return;
    const o = ov.result as { today: { importWh: number }; monthCost: { total: number } | null; latest: { ts: number } | null };
    const todayStart = CN(2025, 6, 20);
    const atTodayStart = samples.find((s) => s.ts === todayStart)!;
    expect(o.today.importWh).toBe(samples.at(-1)!.importWh - atTodayStart.importWh);
    expect(o.latest?.ts).toBe(samples.at(-1)!.ts);
    expect(o.monthCost?.total).toBe(service.bill(CN(2025, 6, 1), CN(2025, 6, 20, 12)).total);
    // The Bills page's June, asked for on 20 June, is the same "cost so far".
    const june = await call('bill.compute', { from: CN(2025, 6, 1), to: CN(2025, 7, 1) });
    expect(june.ok && (june.result as { total: number; to: number }).total).toBe(o.monthCost?.total);
    expect(june.ok && (june.result as { to: number }).to).toBe(CN(2025, 6, 20, 12));
  });

  it('computes a bill equal to the pure computation over the same quarter hours, with prior annual usage', async () => {
    const { service, call } = setup(CN(2025, 7, 5)); // June is over: its bill is whole
    service.append(simulate({ from: CN(2025, 1, 1), to: CN(2025, 7, 1), stepMs: 900_000 }));
    const tariff = service.tariff('cn-zhejiang-ladder-tou');
    const res = await call('bill.compute', { from: CN(2025, 6, 1), to: CN(2025, 7, 1), tariffId: tariff.id });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const intervals = service.store.db
      .prepare('SELECT start, import_wh AS importWh, export_wh AS exportWh FROM rollups WHERE level = 2 ORDER BY start')
      .all() as Array<{ start: number; importWh: number; exportWh: number }>;
    const prior = intervals.filter((i) => i.start >= tierPeriodStart(tariff, CN(2025, 6, 1)) && i.start < CN(2025, 6, 1)).reduce((s, i) => s + i.importWh, 0);
    expect(prior).toBeGreaterThan(0);
    const expected = computeBill({ tariff, from: CN(2025, 6, 1), to: CN(2025, 7, 1), intervals, priorImportWh: prior, coverage: (res.result as { coverage: number }).coverage });
    expect(res.result).toEqual({ ...expected, periodTo: CN(2025, 7, 1), restStanding: 0 });
    const cmp = await call('bill.compare', { from: CN(2025, 6, 1), to: CN(2025, 7, 1), tariffId: tariff.id, utility: { total: expected.total + 500, lines: expected.lines.map((l) => ({ key: l.key, amount: l.amount })) } });
    expect(cmp.ok && (cmp.result as { comparison: { totalDiff: number } }).comparison.totalDiff).toBe(500);
    const none = await call('bill.compute', { from: CN(2025, 6, 1), to: CN(2025, 7, 1) });
    expect(!none.ok && none.error.code).toBe('BILL_NO_TARIFF');
  });

  it('saves, lists and reports invalid tariffs through the channels', async () => {
    const { call } = setup();
    const got = await call('tariff.get', { id: 'example-eu-tou-feed-in' });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    const doc = { ...(got.result as { tariff: Record<string, unknown> }).tariff, id: 'my-tariff' };
    expect((await call('tariff.save', { tariff: doc })).ok).toBe(true);
    const list = await call('tariff.list', {});
    expect(list.ok && (list.result as { tariffs: Array<{ id: string; source: string }> }).tariffs.find((t) => t.id === 'my-tariff')?.source).toBe('user');
    const bad = await call('tariff.save', { tariff: { ...doc, taxes: [{ id: 'vat', rateBasisPoints: 20_000, base: 'all' }] } });
    expect(!bad.ok && bad.error.code).toBe('TARIFF_INVALID');
    expect(!bad.ok && bad.error.facts.path).toBe('taxes.0.rateBasisPoints');
  });

  it('round-trips readings through CSV export and import, and maps another tool\u2019s kWh columns exactly', async () => {
    const a = setup();
    const samples = simulate({ from: CN(2025, 3, 1), to: CN(2025, 3, 2), stepMs: 30_000 });
    a.service.append(samples);
    const exp = await a.call('history.exportCsv', { from: 0, to: CN(2026, 1, 1), kind: 'readings' });
    expect(exp.ok).toBe(true);
    if (!exp.ok) return;
    const csv = (exp.result as { csv: string; rows: number }).csv;
    const b = setup();
    const imp = await b.call('history.importCsv', { csv });
    expect(imp.ok && imp.result).toMatchObject({ records: samples.length, inserted: samples.length, rejected: 0 });
    expect([...b.service.store.readings(0, CN(2026, 1, 1))]).toEqual(samples.map((s) => ({ ...s, meter: 'M1' })));

    const other = 'Zeit;Bezug kWh;Einspeisung kWh\n2025-03-01 00:00;12,3456;0,1\n2025-03-01 00:15;12,5;0,1\n2025-03-01 00:30;;0,2\n';
    const mapping = { delimiter: ';', decimal: ',', timestamp: { column: 'Zeit', format: 'local' }, import: { column: 'Bezug kWh', unit: 'kWh' }, export: { column: 'Einspeisung kWh', unit: 'kWh' }, meter: { value: 'old' } };
    const c = setup();
    const r = await c.call('history.importCsv', { csv: other, mapping });
    expect(r.ok && r.result).toMatchObject({ records: 3, inserted: 2, rounded: 1, rejected: 1, problems: [{ line: 4 }] });
    expect([...c.service.store.readings(0, CN(2026, 1, 1))].map((s) => [s.ts, s.importWh, s.exportWh])).toEqual([
      [CN(2025, 3, 1), 12_346, 100], // 12.3456 kWh → 12345.6 Wh, half away from zero
      [CN(2025, 3, 1, 0) + 15 * 60_000, 12_500, 100],
    ]);
    const wrong = await c.call('history.importCsv', { csv: other, mapping: { ...mapping, import: { column: 'Import', unit: 'kWh' } } });
    expect(!wrong.ok && wrong.error.code).toBe('HISTORY_CSV_MAPPING_INVALID');
  });

  it('imports intervals as the cumulative readings they imply, keeping holes as gaps', async () => {
    const { call, service } = setup();
    const csv = 'start,kwh\n2025-03-01T00:00:00+08:00,0.5\n2025-03-01T00:15:00+08:00,0.25\n2025-03-01T01:00:00+08:00,1\n';
    const r = await call('history.importCsv', { csv, mapping: { kind: 'intervals', timestamp: { column: 'start' }, import: { column: 'kwh', unit: 'kWh' } } });
    expect(r.ok).toBe(true);
    const q = service.store.db.prepare('SELECT start, import_wh, covered_ms FROM rollups WHERE level = 2 ORDER BY start').raw().all();
    expect(q).toEqual([
      [CN(2025, 3, 1), 500, 900_000],
      [CN(2025, 3, 1) + 900_000, 250, 900_000],
      // The hole 00:30–01:00 closes with 0 Wh and no coverage in the quarter it ends: a gap.
      [CN(2025, 3, 1) + 2_700_000, 0, 0],
      [CN(2025, 3, 1, 1), 1000, 900_000],
    ]);
  });

  it('drives the CLI: history import, history export and bill', async () => {
    const { dataDir } = setup();
    const env = { WATTLET_DATA_DIR: dataDir };
    const csvFile = path.join(dataDir, 'in.csv');
    fs.writeFileSync(csvFile, ['meter,timestamp,import_wh,export_wh,power_w', '1,2025-06-02T02:00:00Z,1000,0,', '1,2025-06-02T02:10:00Z,1600,0,'].join('\n'));
    const imp = cliIO(env);
    // The service opened by setup() holds the file too; WAL lets both work.
    expect(await runCli(['history', 'import', csvFile], imp.io, commands, 't')).toBe(0);
    expect(imp.out.join('')).toContain('2 readings stored');
    const exp = cliIO(env);
    expect(await runCli(['history', 'export', '--from', '2025-06', '--to', '2025-07'], exp.io, commands, 't')).toBe(0);
    expect(exp.out.join('').trim().split('\n')).toHaveLength(3);
    const b = cliIO(env);
    expect(await runCli(['bill', '--tariff', 'cn-zhejiang-ladder-tou', '--from', '2025-06', '--to', '2025-07', '--json'], b.io, commands, 't')).toBe(0);
    const bill = JSON.parse(b.out.join('')) as { lines: Array<{ key: string; energyWh: number }>; total: number };
    expect(bill.lines[0]).toMatchObject({ key: 'energy:peak:1', energyWh: 600 }); // 10:00 in Zhejiang
    const table = cliIO(env);
    expect(await runCli(['bill', '--tariff', 'cn-zhejiang-ladder-tou', '--from', '2025-06', '--to', '2025-07'], table.io, commands, 't')).toBe(0);
    expect(table.out.join('')).toMatch(/energy:peak:1\s+0\.600\s+0\.56800\s+0\.34/);
  });
});
