import { attributePair, RollupAccumulator } from './attribution.js';
import { levelId, levels, type Level } from './levels.js';
import type { Sample } from './sample.js';
import { KEY_METER, type HistoryStore } from './store.js';

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
  const acc = new RollupAccumulator();
  const stmt = store.db.prepare('SELECT key, import_wh, export_wh, power_w FROM readings WHERE key >= ? AND key < ? ORDER BY key');
  for (const m of store.meters()) {
    let prev: Sample | null = null;
    const base = m.id * KEY_METER;
    for (const row of stmt.iterate(base, base + KEY_METER) as IterableIterator<{
      key: number;
      import_wh: number;
      export_wh: number | null;
      power_w: number | null;
    }>) {
      const cur: Sample = { ts: row.key - base, importWh: row.import_wh, exportWh: row.export_wh, powerW: row.power_w };
      if (prev) attributePair(store.calendar, acc, prev, cur, 1, store.rules);
      prev = cur;
    }
  }
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

export function storedRollups(store: HistoryStore, level?: Level): RollupRow[] {
  const sql = 'SELECT level, start, import_wh, export_wh, covered_ms, samples FROM rollups';
  return (level
    ? store.db.prepare(`${sql} WHERE level = ? ORDER BY level, start`).all(levelId[level])
    : store.db.prepare(`${sql} ORDER BY level, start`).all()) as RollupRow[];
}

/** Replaces the roll-ups with a recomputation from raw (repair, or after a rules change). */
export function rebuildRollups(store: HistoryStore): void {
  const rows = recomputeRollups(store);
  const insert = store.db.prepare('INSERT INTO rollups (level, start, import_wh, export_wh, covered_ms, samples) VALUES (?, ?, ?, ?, ?, ?)');
  store.db.transaction(() => {
    store.db.exec('DELETE FROM rollups');
    for (const r of rows) insert.run(r.level, r.start, r.import_wh, r.export_wh, r.covered_ms, r.samples);
  })();
}
