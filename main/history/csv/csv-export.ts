import { levelId, type Level } from '../levels.js';
import type { HistoryStore } from '../store.js';
import { csvField } from './csv-line.js';

export const readingsHeader = 'meter,timestamp,import_wh,export_wh,power_w';
export const intervalsHeader = 'start,end,level,import_wh,export_wh,net_wh,coverage_permille';

/** Raw readings in [from, to) as CSV lines (header first), timestamps ISO 8601 UTC. */
export function* exportReadingsCsv(store: HistoryStore, fromMs: number, toMs: number): Generator<string> {
  yield readingsHeader;
  for (const r of store.readings(fromMs, toMs)) {
    yield [csvField(r.meter), new Date(r.ts).toISOString(), r.importWh, r.exportWh ?? '', r.powerW ?? ''].join(',');
  }
}

/** Roll-up intervals of one level in [from, to) as CSV lines, with their coverage. */
export function* exportIntervalsCsv(store: HistoryStore, fromMs: number, toMs: number, level: Level): Generator<string> {
  yield intervalsHeader;
  const cal = store.calendar;
  const rows = store.db
    .prepare('SELECT start, import_wh, export_wh, covered_ms FROM rollups WHERE level = ? AND start >= ? AND start < ? ORDER BY start')
    .raw()
    .iterate(levelId[level], cal.bucketStart(level, fromMs), toMs) as IterableIterator<[number, number, number, number]>;
  for (const [start, imp, exp, cov] of rows) {
    const end = cal.nextBucket(level, start);
    yield [new Date(start).toISOString(), new Date(end).toISOString(), level, imp, exp, imp - exp, Math.min(1000, Math.floor((cov * 1000) / (end - start)))].join(',');
  }
}
