import { levelId, levels, type Level } from './levels.js';
import type { ChainMark } from './register-chain.js';
import { replayReadings } from './replay.js';
import type { HistoryStore } from './store.js';

export interface RollupRow {
  readonly level: number;
  readonly start: number;
  readonly import_wh: number;
  readonly export_wh: number;
  readonly covered_ms: number;
  readonly samples: number;
}

/** Every roll-up row recomputed from raw readings alone, in (level, start) order. */
export function recomputeRollups(store: HistoryStore): RollupRow[] {
  const { acc } = replayReadings(store.db, store.calendar, store.rules, store.meters().map((m) => m.id));
  const rows: RollupRow[] = [];
  for (let li = 0; li < levels.length; li++) {
    const level = levels[li];
    const entries = [...acc.byLevel[li]].sort((a, b) => a[0] - b[0]);
    for (const [start, b] of entries) {
      rows.push({ level: levelId[level], start, import_wh: b.importWh, export_wh: b.exportWh, covered_ms: b.coveredMs, samples: b.samples });
    }
  }
  return rows;
}

export interface MarkRow {
  readonly meter: number;
  readonly ts: number;
  readonly kind: ChainMark;
}

/** Every breaking reading's mark (glitch, swap, jump, pending) recomputed from raw, in (meter, ts) order. */
export function recomputeMarks(store: HistoryStore): MarkRow[] {
  const { marks } = replayReadings(store.db, store.calendar, store.rules, store.meters().map((m) => m.id));
  const rows: MarkRow[] = [];
  for (const [meter, byTs] of [...marks].sort((a, b) => a[0] - b[0])) {
    for (const [ts, kind] of [...byTs].sort((a, b) => a[0] - b[0])) rows.push({ meter, ts, kind });
  }
  return rows;
}

export function storedMarks(store: HistoryStore): MarkRow[] {
  return store.db.prepare('SELECT meter, ts, kind FROM discontinuities ORDER BY meter, ts').all() as MarkRow[];
}

export function storedRollups(store: HistoryStore, level?: Level): RollupRow[] {
  const sql = 'SELECT level, start, import_wh, export_wh, covered_ms, samples FROM rollups';
  return (level
    ? store.db.prepare(`${sql} WHERE level = ? ORDER BY level, start`).all(levelId[level])
    : store.db.prepare(`${sql} ORDER BY level, start`).all()) as RollupRow[];
}

/** Replaces the roll-ups and marks with a recomputation from raw (repair, or after a rules change). */
export function rebuildRollups(store: HistoryStore): void {
  const rows = recomputeRollups(store);
  const marks = recomputeMarks(store);
  const insert = store.db.prepare('INSERT INTO rollups (level, start, import_wh, export_wh, covered_ms, samples) VALUES (?, ?, ?, ?, ?, ?)');
  const mark = store.db.prepare('INSERT INTO discontinuities (meter, ts, kind) VALUES (?, ?, ?)');
  store.db.transaction(() => {
    store.db.exec('DELETE FROM rollups; DELETE FROM discontinuities;');
    for (const r of rows) insert.run(r.level, r.start, r.import_wh, r.export_wh, r.covered_ms, r.samples);
    for (const m of marks) mark.run(m.meter, m.ts, m.kind);
  })();
}
