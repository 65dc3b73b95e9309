import type { Statement } from 'better-sqlite3';
import { WattletError } from '../api/errors.js';
import { attributeDelta, defaultRules, RollupAccumulator, type AttributionRules, type PairDelta } from './attribution.js';
import { LocalCalendar } from './calendar.js';
import { openDatabase, type Db } from './database.js';
import { levelId, levels } from './levels.js';
import { KEY_METER } from './reading-key.js';
import { RegisterChain, sameState, type ChainMark, type ChainSink, type ChainState } from './register-chain.js';
import { replayReadings } from './replay.js';
import type { MeterSample, Sample } from './sample.js';

export { KEY_METER } from './reading-key.js';
const MAX_METERS = Math.floor(Number.MAX_SAFE_INTEGER / KEY_METER) - 1;
const BULK_ROWS = 500; // rows per multi-row INSERT: fewer statement calls
/**
 * The rules the stored roll-ups and marks were made with. A store opened on a database made
 * under other rules rebuilds both from its raw readings once (2: glitches are skipped, a
 * restart is a swap of unknown energy instead of energy counted from zero).
 */
const CHAIN_RULES = '2';
/** Readings fetched at a time while a late reading's neighbourhood is replayed. */
const LATE_CHUNK = 16;

export interface HistoryStoreOptions {
  readonly file: string;
  /** IANA zone of the household; fixed when the database is created (stored in meta). */
  readonly timeZone?: string;
  readonly rules?: Partial<AttributionRules>;
  readonly synchronous?: 'full' | 'normal';
}

export interface AppendResult {
  readonly inserted: number;
  readonly duplicates: number;
  /** Readings that arrived older than the meter's newest (handled, just slower). */
  readonly late: number;
}

interface RawRow {
  key: number;
  import_wh: number;
  export_wh: number | null;
  power_w: number | null;
}

function toSample(row: RawRow): Sample {
  return { ts: row.key % KEY_METER, importWh: row.import_wh, exportWh: row.export_wh, powerW: row.power_w };
}

/**
 * The consumption history: raw readings plus roll-ups kept current as readings arrive. One
 * writer per database file (the main process); `append` returns only after its transaction
 * committed, so whatever it acknowledged survives a kill.
 */
export class HistoryStore {
  readonly db: Db;
  readonly calendar: LocalCalendar;
  readonly rules: AttributionRules;
  readonly #acc = new RollupAccumulator();
  readonly #meterIds = new Map<string, number>();
  /** Each meter's chain state (last kept reading, suspect); dropped after a failed transaction (it may be ahead of disk). */
  readonly #states = new Map<number, ChainState>();
  /** The in-order path's chain: pairs into the roll-ups, marks straight into the table. */
  readonly #chain: RegisterChain;
  #meter = 0;
  readonly #dataVersion: Statement;
  #seenVersion = -1;
  readonly #stmt: {
    insertOne: Statement;
    insertBulk: Statement;
    exists: Statement;
    prev: Statement;
    next: Statement;
    newest: Statement;
    upsert: Statement;
    upsertBulk: Statement;
    pruneEmpty: Statement;
    meterByName: Statement;
    insertMeter: Statement;
    addDiscontinuity: Statement;
    dropDiscontinuity: Statement;
    markAt: Statement;
    before: Statement;
    after: Statement;
  };

  constructor(options: HistoryStoreOptions) {
    this.db = openDatabase({ file: options.file, synchronous: options.synchronous });
    const meta = new Map(
      (this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]),
    );
    const timeZone = meta.get('timeZone') ?? options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.calendar = new LocalCalendar(timeZone);
    this.rules = {
      gapMs: Number(meta.get('gapMs') ?? options.rules?.gapMs ?? defaultRules.gapMs),
      maxPowerW: Number(meta.get('maxPowerW') ?? options.rules?.maxPowerW ?? defaultRules.maxPowerW),
    };
    if (!meta.has('timeZone')) {
      const put = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      this.db.transaction(() => {
        put.run('timeZone', timeZone);
        put.run('gapMs', String(this.rules.gapMs));
        put.run('maxPowerW', String(this.rules.maxPowerW));
      })();
    }
    const db = this.db;
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.#stmt = {
      insertOne: db.prepare('INSERT INTO readings (key, import_wh, export_wh, power_w) VALUES (?, ?, ?, ?)'),
      insertBulk: db.prepare(
        `INSERT INTO readings (key, import_wh, export_wh, power_w) VALUES ${Array(BULK_ROWS).fill('(?,?,?,?)').join(',')}`,
      ),
      exists: db.prepare('SELECT 1 FROM readings WHERE key = ?').pluck(),
      prev: db.prepare('SELECT * FROM readings WHERE key < ? AND key >= ? ORDER BY key DESC LIMIT 1'),
      next: db.prepare('SELECT * FROM readings WHERE key > ? AND key < ? ORDER BY key LIMIT 1'),
      newest: db.prepare('SELECT * FROM readings WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT 1'),
      upsert: db.prepare(upsertSql(1)),
      upsertBulk: db.prepare(upsertSql(BULK_ROWS)),
      pruneEmpty: db.prepare(
        'DELETE FROM rollups WHERE level = ? AND start = ? AND import_wh = 0 AND export_wh = 0 AND covered_ms = 0 AND samples = 0',
      ),
      meterByName: db.prepare('SELECT id FROM meters WHERE name = ?').pluck(),
      insertMeter: db.prepare('INSERT INTO meters (name, first_ts) VALUES (?, ?)'),
      addDiscontinuity: db.prepare('INSERT OR REPLACE INTO discontinuities (meter, ts, kind) VALUES (?, ?, ?)'),
      dropDiscontinuity: db.prepare('DELETE FROM discontinuities WHERE meter = ? AND ts = ?'),
      markAt: db.prepare('SELECT kind FROM discontinuities WHERE meter = ? AND ts = ?').pluck(),
      before: db.prepare(`SELECT * FROM readings WHERE key < ? AND key >= ? ORDER BY key DESC LIMIT 3`),
      after: db.prepare(`SELECT * FROM readings WHERE key > ? AND key < ? ORDER BY key LIMIT ${LATE_CHUNK}`),
    };
    const sink: ChainSink = {
      pair: (prev, cur, d) => attributeDelta(this.calendar, this.#acc, prev, cur, d, 1, this.rules),
      mark: (reading, kind) => this.#stmt.addDiscontinuity.run(this.#meter, reading.ts, kind),
    };
    this.#chain = new RegisterChain(this.rules, sink);
    if (meta.get('chainRules') !== CHAIN_RULES) this.#rebuild();
  }

  /** Roll-ups and marks made again from the raw readings, under this version's rules (a kill mid-way redoes it). */
  #rebuild(): void {
    this.db.transaction(() => {
      const hasReadings = this.db.prepare('SELECT 1 FROM readings LIMIT 1').get() !== undefined;
      if (hasReadings) {
        const { acc, marks } = replayReadings(this.db, this.calendar, this.rules, this.meters().map((m) => m.id));
        this.db.exec('DELETE FROM rollups; DELETE FROM discontinuities;');
        for (const [meter, byTs] of marks) for (const [ts, kind] of byTs) this.#stmt.addDiscontinuity.run(meter, ts, kind);
        this.#acc.clear();
        for (let li = 0; li < levels.length; li++) {
          acc.byLevel[li]!.forEach((start, b) => {
            const target = this.#acc.byLevel[li]!.get(start);
            target.importWh = b.importWh;
            target.exportWh = b.exportWh;
            target.coveredMs = b.coveredMs;
            target.samples = b.samples;
          });
        }
        this.#flushRollups();
      }
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('chainRules', CHAIN_RULES);
    })();
  }

  get timeZone(): string {
    return this.calendar.timeZone;
  }

  /**
   * Stores readings in one transaction and updates every roll-up. Duplicates (same meter and
   * timestamp) keep the first values received. Returns after the commit: the acknowledgement.
   */
  append(samples: readonly MeterSample[]): AppendResult {
    for (const s of samples) validate(s);
    // Another connection (the CLI importing while the app runs) may have written since our last
    // look: then our cached newest readings are stale and must be re-read, or pairs would be
    // attributed against the wrong neighbours. data_version changes exactly then.
    const version = this.#dataVersion.get() as number;
    if (version !== this.#seenVersion) {
      this.#states.clear();
      this.#meterIds.clear();
      this.#seenVersion = version;
    }
    try {
      return this.#appendTx(samples);
    } catch (e) {
      this.#states.clear();
      this.#meterIds.clear();
      this.#acc.clear();
      throw e;
    }
  }

  readonly #appendTx = (samples: readonly MeterSample[]): AppendResult =>
    this.db.transaction(() => {
      const byMeter = groupByMeter(samples);
      let inserted = 0;
      let duplicates = 0;
      let late = 0;
      // Rows gathered into one multi-row INSERT; a late reading flushes what is pending first so
      // its neighbour lookups see it.
      const bulk: Array<number | null> = new Array(BULK_ROWS * 4);
      let n = 0;
      const flushBulk = (): void => {
        if (n === bulk.length) this.#stmt.insertBulk.run(bulk);
        else for (let i = 0; i < n; i += 4) this.#stmt.insertOne.run(bulk[i], bulk[i + 1], bulk[i + 2], bulk[i + 3]);
        n = 0;
      };
      for (const [name, list] of byMeter) {
        const id = this.#meterId(name, list[0].ts);
        const base = id * KEY_METER;
        const state = this.#state(id);
        this.#meter = id;
        let newestTs = (state.suspect ?? state.prev)?.ts ?? -1;
        let prevTs = -1;
        for (const s of list) {
          if (s.ts === prevTs) {
            duplicates++;
            continue;
          }
          prevTs = s.ts;
          if (s.ts <= newestTs) {
            flushBulk();
            if (this.#insertLate(id, s, state)) {
              inserted++;
              late++;
            } else duplicates++;
            this.#meter = id;
            continue;
          }
          this.#chain.step(state, s);
          bulk[n++] = base + s.ts;
          bulk[n++] = s.importWh;
          bulk[n++] = s.exportWh;
          bulk[n++] = s.powerW;
          if (n === bulk.length) flushBulk();
          newestTs = s.ts;
          inserted++;
        }
        flushBulk();
      }
      this.#flushRollups();
      return { inserted, duplicates, late };
    })();

  /**
   * A reading older than the meter's newest. It changes which readings are kept around it (the
   * reading before it was judged against its old successor), so the neighbourhood is replayed
   * twice — without it, as stored, and with it — from the last kept reading before the one it
   * follows (glitches never neighbour, so that is at most three back), until both replays are in
   * the same state again; the difference of their pairs and marks is applied.
   */
  #insertLate(meter: number, s: Sample, state: ChainState): boolean {
    const base = meter * KEY_METER;
    const key = base + s.ts;
    if (this.#stmt.exists.get(key) !== undefined) return false;
    const before = (this.#stmt.before.all(key, base) as RawRow[]).map(toSample);
    let from: Sample | null = null;
    if (before.length >= 2) {
      if (this.#stmt.markAt.get(meter, before[1]!.ts) !== 'glitch') from = before[1]!;
      else if (before.length >= 3) from = before[2]!;
    }
    const was = recorder(this.rules);
    const will = recorder(this.rules);
    const old: ChainState = { prev: from, suspect: null };
    const now: ChainState = { prev: from, suspect: null };
    let placed = false;
    let converged = false;
    let cursor = from ? base + from.ts : base - 1;
    for (;;) {
      const rows = this.#stmt.after.all(cursor, base + KEY_METER) as RawRow[];
      for (const row of rows) {
        const r = toSample(row);
        if (!placed && r.ts > s.ts) {
          will.chain.step(now, s);
          placed = true;
        }
        was.chain.step(old, r);
        will.chain.step(now, r);
        if (placed && sameState(old, now)) {
          converged = true;
          break;
        }
      }
      if (converged || rows.length < LATE_CHUNK) break;
      cursor = rows.at(-1)!.key;
    }
    if (!placed) will.chain.step(now, s);
    for (const p of was.pairs) attributeDelta(this.calendar, this.#acc, p.prev, p.cur, p.d, -1, this.rules);
    for (const p of will.pairs) attributeDelta(this.calendar, this.#acc, p.prev, p.cur, p.d, 1, this.rules);
    for (const ts of new Set([...was.marks.keys(), ...will.marks.keys()])) {
      const kind = will.marks.get(ts);
      if (kind === was.marks.get(ts)) continue;
      if (kind === undefined) this.#stmt.dropDiscontinuity.run(meter, ts);
      else this.#stmt.addDiscontinuity.run(meter, ts, kind);
    }
    this.#stmt.insertOne.run(key, s.importWh, s.exportWh, s.powerW);
    // Replayed to the meter's newest reading: the state the next reading continues from is the new one.
    if (!converged) {
      state.prev = now.prev;
      state.suspect = now.suspect;
    }
    return true;
  }

  #flushRollups(): void {
    const args: number[] = [];
    for (let li = 0; li < levels.length; li++) {
      const id = levelId[levels[li]];
      this.#acc.byLevel[li].forEach((start, b) => {
        args.push(id, start, b.importWh, b.exportWh, b.coveredMs, b.samples);
        if (args.length === BULK_ROWS * 6) {
          this.#stmt.upsertBulk.run(args);
          args.length = 0;
        }
      });
    }
    for (let i = 0; i < args.length; i += 6) this.#stmt.upsert.run(args.slice(i, i + 6));
    if (this.#acc.hadNegative) {
      for (let li = 0; li < levels.length; li++) {
        for (const start of this.#acc.byLevel[li].keys()) this.#stmt.pruneEmpty.run(levelId[levels[li]], start);
      }
    }
    this.#acc.clear();
  }

  #meterId(name: string, firstTs: number): number {
    const known = this.#meterIds.get(name);
    if (known !== undefined) return known;
    let id = this.#stmt.meterByName.get(name) as number | undefined;
    if (id === undefined) {
      id = Number(this.#stmt.insertMeter.run(name, firstTs).lastInsertRowid);
      if (id > MAX_METERS) throw new WattletError('HISTORY_METER_LIMIT', 'Too many meters in one history', { meter: name });
      this.#states.set(id, { prev: null, suspect: null });
    }
    this.#meterIds.set(name, id);
    return id;
  }

  /** The meter's chain state, read from disk when not held: its newest reading, a suspect if marked pending. */
  #state(meter: number): ChainState {
    const held = this.#states.get(meter);
    if (held) return held;
    const base = meter * KEY_METER;
    const row = this.#stmt.newest.get(base, base + KEY_METER) as RawRow | undefined;
    const state: ChainState = { prev: null, suspect: null };
    if (row) {
      const newest = toSample(row);
      if (this.#stmt.markAt.get(meter, newest.ts) === 'pending') {
        // The reading before a pending one is always kept (a glitch is only ever followed by a reading that continues).
        const prevRow = this.#stmt.prev.get(row.key, base) as RawRow | undefined;
        state.prev = prevRow ? toSample(prevRow) : null;
        state.suspect = newest;
      } else state.prev = newest;
    }
    this.#states.set(meter, state);
    return state;
  }

  meters(): Array<{ id: number; name: string; firstTs: number }> {
    return (this.db.prepare('SELECT id, name, first_ts AS firstTs FROM meters ORDER BY id').all() as Array<{
      id: number;
      name: string;
      firstTs: number;
    }>);
  }

  /** The newest reading of any meter (for the Overview's live line when no event came yet). */
  latest(): (MeterSample & { meterId: number }) | null {
    let best: (MeterSample & { meterId: number }) | null = null;
    for (const m of this.meters()) {
      const state = this.#state(m.id);
      const s = state.suspect ?? state.prev;
      if (s && (!best || s.ts > best.ts)) best = { ...s, meter: m.name, meterId: m.id };
    }
    return best;
  }

  /** Raw readings of every meter in [from, to), in (meter, ts) order; iterates lazily. */
  *readings(fromMs: number, toMs: number): Generator<MeterSample> {
    const stmt = this.db.prepare('SELECT * FROM readings WHERE key >= ? AND key < ? ORDER BY key');
    for (const m of this.meters()) {
      const base = m.id * KEY_METER;
      for (const row of stmt.iterate(base + Math.max(0, fromMs), base + Math.min(KEY_METER, toMs)) as IterableIterator<RawRow>) {
        yield { meter: m.name, ...toSample(row) };
      }
    }
  }

  dispose(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Samples per meter in timestamp order. The common case — one meter, already in order (a live
 * session, a bulk import) — is passed through without copying or sorting.
 */
function groupByMeter(samples: readonly MeterSample[]): Map<string, readonly MeterSample[]> {
  let simple = samples.length > 0;
  for (let i = 1; i < samples.length && simple; i++) {
    simple = samples[i].meter === samples[0].meter && samples[i].ts >= samples[i - 1].ts;
  }
  if (simple) return new Map([[samples[0].meter, samples]]);
  const byMeter = new Map<string, MeterSample[]>();
  for (const s of samples) {
    const list = byMeter.get(s.meter);
    if (list) list.push(s);
    else byMeter.set(s.meter, [s]);
  }
  for (const list of byMeter.values()) list.sort((a, b) => a.ts - b.ts);
  return byMeter;
}

interface RecordedPair {
  readonly prev: Sample;
  readonly cur: Sample;
  readonly d: PairDelta;
}

/** A chain whose pairs and marks are kept to be applied later (a late reading's two replays). */
function recorder(rules: AttributionRules): { chain: RegisterChain; pairs: RecordedPair[]; marks: Map<number, ChainMark> } {
  const pairs: RecordedPair[] = [];
  const marks = new Map<number, ChainMark>();
  const chain = new RegisterChain(rules, {
    pair: (prev, cur, d) => pairs.push({ prev, cur, d: { ...d } }),
    mark: (reading, kind) => marks.set(reading.ts, kind),
  });
  return { chain, pairs, marks };
}

function upsertSql(rows: number): string {
  return `INSERT INTO rollups (level, start, import_wh, export_wh, covered_ms, samples)
    VALUES ${Array(rows).fill('(?,?,?,?,?,?)').join(',')}
    ON CONFLICT (level, start) DO UPDATE SET import_wh = import_wh + excluded.import_wh,
      export_wh = export_wh + excluded.export_wh, covered_ms = covered_ms + excluded.covered_ms,
      samples = samples + excluded.samples`;
}

function validate(s: MeterSample): void {
  const ok =
    Number.isSafeInteger(s.ts) && s.ts >= 0 && s.ts < KEY_METER &&
    Number.isSafeInteger(s.importWh) && s.importWh >= 0 &&
    (s.exportWh === null || (Number.isSafeInteger(s.exportWh) && s.exportWh >= 0)) &&
    (s.powerW === null || Number.isSafeInteger(s.powerW)) &&
    typeof s.meter === 'string' && s.meter.length > 0 && s.meter.length <= 200;
  if (!ok) {
    throw new WattletError('HISTORY_READING_INVALID', 'A reading is outside what the history can store', {
      meter: String(s.meter).slice(0, 80),
      ts: Number.isFinite(s.ts) ? s.ts : null,
    });
  }
}
