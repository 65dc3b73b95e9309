import type { Statement } from 'better-sqlite3';
import { attributeDelta, RollupAccumulator, type AttributionRules } from './attribution.js';
import type { LocalCalendar } from './calendar.js';
import type { Db } from './database.js';
import { KEY_METER } from './reading-key.js';
import { RegisterChain, type ChainMark, type ChainState } from './register-chain.js';
import type { Sample } from './sample.js';

interface RawRow {
  key: number;
  import_wh: number;
  export_wh: number | null;
  power_w: number | null;
}

export interface Replayed {
  /** The roll-ups, as the store keeps them incrementally. */
  readonly acc: RollupAccumulator;
  /** Every breaking reading's final mark, per meter id, by timestamp. */
  readonly marks: Map<number, Map<number, ChainMark>>;
}

/**
 * Every meter's raw readings replayed through the register chain into fresh roll-ups, from the
 * readings alone: what the store's incremental work must equal, and how it is rebuilt.
 */
export function replayReadings(db: Db, calendar: LocalCalendar, rules: AttributionRules, meterIds: readonly number[]): Replayed {
  const acc = new RollupAccumulator();
  const marks = new Map<number, Map<number, ChainMark>>();
  const stmt: Statement = db.prepare('SELECT key, import_wh, export_wh, power_w FROM readings WHERE key >= ? AND key < ? ORDER BY key');
  for (const id of meterIds) {
    const meterMarks = new Map<number, ChainMark>();
    marks.set(id, meterMarks);
    const chain = new RegisterChain(rules, {
      pair: (prev, cur, d) => attributeDelta(calendar, acc, prev, cur, d, 1, rules),
      mark: (reading, kind) => meterMarks.set(reading.ts, kind),
    });
    const state: ChainState = { prev: null, suspect: null };
    const base = id * KEY_METER;
    for (const row of stmt.iterate(base, base + KEY_METER) as IterableIterator<RawRow>) {
      const cur: Sample = { ts: row.key - base, importWh: row.import_wh, exportWh: row.export_wh, powerW: row.power_w };
      chain.step(state, cur);
    }
  }
  return { acc, marks };
}
