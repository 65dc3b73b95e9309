import { KEY_METER } from './reading-key.js';
import type { HistoryStore } from './store.js';

export interface EventReading {
  readonly ts: number;
  readonly importWh: number;
  readonly exportWh: number | null;
}

/**
 * Something a meter's registers did that the history did not count as energy, for the household
 * to see:
 * - 'swap': a register restarted (the meter was replaced or reset). `before` is the old
 *   sequence's final reading, `reading` the new sequence's first; the energy between them is
 *   unknown (`unknown`), shown as a gap, never guessed;
 * - 'jump': a register rose faster than any household can use; the same gap;
 * - 'glitch': one reading broke the registers and the next continued the earlier sequence:
 *   `reading` was skipped and nothing was lost (`unknown` is null).
 */
export interface MeterEvent {
  readonly meter: string;
  readonly kind: 'swap' | 'jump' | 'glitch';
  readonly at: number;
  readonly before: EventReading | null;
  readonly reading: EventReading;
  readonly unknown: { readonly from: number; readonly to: number } | null;
}

interface Row {
  meter: number;
  ts: number;
  kind: string;
}

interface ReadingRow {
  key: number;
  import_wh: number;
  export_wh: number | null;
}

/** The meter events in [from, to), oldest first (at most `limit`). A suspect still waiting for its next reading is not one yet. */
export function queryMeterEvents(store: HistoryStore, fromMs: number, toMs: number, limit = 500): MeterEvent[] {
  const names = new Map(store.meters().map((m) => [m.id, m.name]));
  const marks = store.db
    .prepare("SELECT meter, ts, kind FROM discontinuities WHERE ts >= ? AND ts < ? AND kind IN ('swap', 'jump', 'glitch') ORDER BY ts, meter LIMIT ?")
    .all(fromMs, toMs, limit) as Row[];
  const at = store.db.prepare('SELECT key, import_wh, export_wh FROM readings WHERE key = ?');
  const before = store.db.prepare('SELECT key, import_wh, export_wh FROM readings WHERE key < ? AND key >= ? ORDER BY key DESC LIMIT 1');
  const reading = (row: ReadingRow, base: number): EventReading => ({ ts: row.key - base, importWh: row.import_wh, exportWh: row.export_wh });
  const events: MeterEvent[] = [];
  for (const m of marks) {
    const base = m.meter * KEY_METER;
    const self = at.get(base + m.ts) as ReadingRow | undefined;
    if (!self) continue;
    const prev = before.get(base + m.ts, base) as ReadingRow | undefined;
    const kind = m.kind as MeterEvent['kind'];
    events.push({
      meter: names.get(m.meter) ?? String(m.meter),
      kind,
      at: m.ts,
      before: prev ? reading(prev, base) : null,
      reading: reading(self, base),
      unknown: kind !== 'glitch' && prev ? { from: prev.key - base, to: m.ts } : null,
    });
  }
  return events;
}
