import { parentPort, workerData } from 'node:worker_threads';
import { MeterDayHasher } from '../../main/ledger/tree/meter-day-hasher.js';
import { RegionPartition } from '../../main/ledger/tree/region-tree.js';
import { ready } from '../../main/ledger/verify/keccak.js';
import { dayColumns, generateMeter, INTERVALS, syntheticMeter } from './synthetic-meters.js';

/**
 * One partition of the bench's region (scripts/bench-anchor.ts): meters [from, to) generated,
 * their day roots hashed, their meter-day leaves kept as packed records, handed back as bytes —
 * the map step a batch engine would run per task (docs/operator-at-scale.md).
 */
export interface BuildTask {
  readonly seed: number;
  readonly day: number;
  readonly from: number;
  readonly to: number;
}

const task = workerData as BuildTask;
await ready();
const hasher = new MeterDayHasher();
const m = syntheticMeter();
const { starts, seconds } = dayColumns(task.day);
const partition = new RegionPartition(task.day, task.to - task.from);
const root = new Uint8Array(32);
let generating = 0;
const started = performance.now();
for (let i = task.from; i < task.to; i++) {
  const g = performance.now();
  generateMeter(task.seed, i, m);
  generating += performance.now() - g;
  hasher.root({ meterId: m.meterId, count: INTERVALS, starts, seconds, importWh: m.importWh, exportWh: m.exportWh, salts: m.salts }, root);
  partition.add(m.meterId, root, BigInt(m.importTotal), BigInt(m.exportTotal), m.daySalt);
  if ((i - task.from) % 50_000 === 49_999) parentPort!.postMessage({ kind: 'progress', done: i - task.from + 1 });
}
const records = partition.bytes();
parentPort!.postMessage(
  { kind: 'done', records, count: partition.count, generatingMs: generating, totalMs: performance.now() - started, cpu: process.cpuUsage() },
  [records.buffer as ArrayBuffer],
);
