/**
 * npm run bench:history — ingest a year of 10-second readings into a real SQLite file and report
 * ingest throughput, size on disk, and query latencies (p50/p95) for a day, a month, a year and
 * everything. A report, not a test: targets are printed beside the numbers, nothing asserts.
 *   Targets: ingest ≥ 500,000 rows/s, ≤ 100 MB per meter-year, range query p95 < 20 ms.
 * Options: --readings N (default one year: 3,153,600), --batch N (default 50,000), --keep
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { querySeries } from '../main/history/series.js';
import { HistoryStore } from '../main/history/store.js';
import type { MeterSample } from '../main/history/sample.js';
import { queryTotals } from '../main/history/totals.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const STEP = 10_000;
const N = arg('readings', (365 * 86_400_000) / STEP);
const BATCH = arg('batch', 50_000);
const T0 = Date.UTC(2025, 0, 1) - 8 * 3_600_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-bench-history-'));
const file = path.join(dir, 'history.sqlite');
const store = new HistoryStore({ file, timeZone: 'Asia/Shanghai', synchronous: 'full' });

// Generating readings is not the store's work: build each batch before the clock starts.
let imp = 3_000_000;
let exp = 200_000;
let seed = 1;
function batch(from: number, count: number): MeterSample[] {
  const out: MeterSample[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const ts = T0 + (from + i) * STEP;
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const hour = Math.floor(((ts + 8 * 3_600_000) % 86_400_000) / 3_600_000);
    const w = 250 + (seed % 900) + (hour >= 18 && hour < 23 ? 700 : 0);
    const solar = hour >= 10 && hour < 15 ? 1500 : 0;
    imp += Math.floor((Math.max(0, w - solar) * STEP) / 3_600_000);
    exp += Math.floor((Math.max(0, solar - w) * STEP) / 3_600_000);
    out[i] = { meter: 'bench-meter', ts, importWh: imp, exportWh: exp, powerW: w - solar };
  }
  return out;
}

// Wall time and this process's CPU time: on a shared machine the CPU figure is what the
// store itself costs; the wall figure includes waiting for the CPU and the disk.
let ingestMs = 0;
let ingestCpuUs = 0;
for (let done = 0; done < N; done += BATCH) {
  const b = batch(done, Math.min(BATCH, N - done));
  const t = performance.now();
  const c = process.cpuUsage();
  store.append(b);
  const dc = process.cpuUsage(c);
  ingestCpuUs += dc.user + dc.system;
  ingestMs += performance.now() - t;
}
store.db.pragma('wal_checkpoint(TRUNCATE)');
const bytes = fs.statSync(file).size;
const tables = store.db
  .prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
  .all() as Array<{ name: string; bytes: number }>;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
const end = T0 + N * STEP;
const ranges: Array<[string, number]> = [
  ['day', 86_400_000],
  ['month', 31 * 86_400_000],
  ['year', 365 * 86_400_000],
  ['everything', end - T0],
];
const rows: string[] = [];
for (const [name, span] of ranges) {
  const times: number[] = [];
  let points = 0;
  let level = '';
  for (let i = 0; i < 200; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const from = T0 + (span >= end - T0 ? 0 : seed % (end - T0 - span));
    const t = performance.now();
    const s = querySeries(store, from, from + span);
    queryTotals(store, from, from + span, name === 'day' ? 'day' : 'month');
    times.push(performance.now() - t);
    points = s.t.length;
    level = s.level;
  }
  rows.push(`  ${name.padEnd(10)} level=${level.padEnd(7)} points=${String(points).padStart(5)}  p50 ${percentile(times, 0.5).toFixed(2)} ms  p95 ${percentile(times, 0.95).toFixed(2)} ms`);
}

const rate = Math.round(N / (ingestMs / 1000));
const mbPerYear = (bytes / 1e6) * ((365 * 86_400_000) / (N * STEP));
console.log(`bench:history — ${N.toLocaleString('en')} readings every ${STEP / 1000} s, batches of ${BATCH}, synchronous=FULL, WAL`);
const cpuRate = Math.round(N / (ingestCpuUs / 1e6));
console.log(`  ingest     ${rate.toLocaleString('en')} rows/s wall (${(ingestMs / 1000).toFixed(1)} s), ${cpuRate.toLocaleString('en')} rows per CPU-second   target ≥ 500,000`);
console.log(`  load       ${os.loadavg()[0].toFixed(1)} (1-min load average on ${os.cpus().length} CPUs)`);
console.log(`  on disk    ${(bytes / 1e6).toFixed(1)} MB (${mbPerYear.toFixed(1)} MB per meter-year)   target ≤ 100`);
for (const t of tables.slice(0, 6)) console.log(`             ${t.name.padEnd(28)} ${(t.bytes / 1e6).toFixed(1)} MB`);
console.log('  queries (series + totals, 200 random ranges each)   target p95 < 20 ms');
for (const r of rows) console.log(r);
store.dispose();
if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`  kept ${file}`);
