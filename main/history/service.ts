import fs from 'node:fs';
import path from 'node:path';
import type { PayloadOf } from '../api/contract.js';
import { WattletError } from '../api/errors.js';
import type { Reading } from '../meter/reading.js';
import { computeBill, tierPeriodStart, type Bill, type BillInput } from './bill/bill.js';
import { billSoFar, type BillSoFar } from './bill/bill-so-far.js';
import { levelId } from './levels.js';
import { sampleFromReading, type MeterSample } from './sample.js';
import { HistoryStore, type AppendResult } from './store.js';
import { TariffLibrary } from './tariffs/library.js';
import type { Tariff } from './tariffs/schema.js';

export interface HistoryServiceOptions {
  readonly dataDir: string;
  /** Household zone for a new database (an existing one keeps its own). */
  readonly timeZone?: string;
  readonly builtinTariffDir?: string;
  readonly synchronous?: 'full' | 'normal';
  /** Where 'history.appended' goes (the composition root passes its EventBus). */
  readonly emit?: (event: 'history.appended', payload: PayloadOf<'history.appended'>) => void;
  /** The clock, injectable so tests can stand on a chosen day. */
  readonly now?: () => number;
}

export const HISTORY_FILE = 'history.sqlite';
const MAX_BILL_DAYS = 400;

/**
 * The history room's service: the store, the tariff library and the bills over them. Built by
 * the composition root with its data folder; `dispose` closes the database.
 */
export class HistoryService {
  readonly store: HistoryStore;
  readonly tariffs: TariffLibrary;
  readonly now: () => number;
  readonly #emit: HistoryServiceOptions['emit'];

  constructor(options: HistoryServiceOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.store = new HistoryStore({ file: path.join(options.dataDir, HISTORY_FILE), timeZone: options.timeZone, synchronous: options.synchronous });
    this.tariffs = new TariffLibrary({ dataDir: options.dataDir, builtinDir: options.builtinTariffDir });
    this.now = options.now ?? Date.now;
    this.#emit = options.emit;
  }

  /** Stores decoded readings (those without an import register are skipped) and tells the UI. */
  ingest(readings: readonly Reading[]): AppendResult {
    return this.append(readings.map(sampleFromReading).filter((s): s is MeterSample => s !== null));
  }

  append(samples: readonly MeterSample[]): AppendResult {
    const result = this.store.append(samples);
    if (result.inserted > 0) {
      this.#emit?.('history.appended', { inserted: result.inserted, newestTs: Math.max(...samples.map((s) => s.ts)) });
    }
    return result;
  }

  get activeTariffId(): string | null {
    const v = this.store.db.prepare("SELECT value FROM meta WHERE key = 'tariff.active'").pluck().get() as string | undefined;
    return v ?? null;
  }

  setActiveTariff(id: string): string {
    this.tariffs.get(id); // TARIFF_NOT_FOUND / TARIFF_INVALID before we remember it
    this.store.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('tariff.active', ?)").run(id);
    return id;
  }

  tariff(id?: string): Tariff {
    const chosen = id ?? this.activeTariffId;
    if (!chosen) throw new WattletError('BILL_NO_TARIFF', 'No tariff chosen', {});
    const { origin: _origin, ...tariff } = this.tariffs.get(chosen);
    return tariff;
  }

  /** The bill for [from, to) from the quarter-hour roll-ups (windows fall on quarter hours). */
  bill(from: number, to: number, tariffId?: string): Bill {
    checkBillPeriod(from, to);
    return computeBill(this.billInput(from, to, this.tariff(tariffId)));
  }

  /**
   * "Cost so far" (bill/bill-so-far.ts): the bill of [from, to) up to now — what the Overview
   * shows for this month and the Bills page for a month still running — and what the rest of the
   * period's standing charges add.
   */
  billSoFar(from: number, to: number, tariffId?: string, tariff: Tariff = this.tariff(tariffId)): BillSoFar {
    checkBillPeriod(from, to);
    return billSoFar(this.billInput(from, to, tariff), this.now());
  }

  /**
   * Each period's cost so far (the total of `billSoFar`; null for a period that has not begun),
   * from one read of the periods' quarter hours and one sum per tier period before them: a year
   * of days is two queries and 365 bills, not 365 sums over the tier year. Periods are in time
   * order and do not overlap.
   */
  periodCosts(periods: ReadonlyArray<{ readonly start: number; readonly end: number }>, tariff: Tariff): Array<number | null> {
    const now = this.now();
    const begun = periods.filter((p) => p.start <= now);
    if (begun.length === 0) return periods.map(() => null);
    const first = begun[0]!.start;
    const last = Math.min(begun.at(-1)!.end, Math.max(now, begun.at(-1)!.start));
    const rows = this.store.db
      .prepare('SELECT start, import_wh, export_wh, covered_ms FROM rollups WHERE level = ? AND start >= ? AND start < ? ORDER BY start')
      .raw()
      .all(levelId.quarter, first, last) as Array<[number, number, number, number]>;
    // Prefix sums of import and covered time: the tier count before a period, and its coverage.
    const imports = new Float64Array(rows.length + 1);
    const covered = new Float64Array(rows.length + 1);
    rows.forEach((r, i) => {
      imports[i + 1] = imports[i]! + r[1];
      covered[i + 1] = covered[i]! + r[3];
    });
    const at = (ts: number): number => {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid]![0] < ts) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    // Import counted in a tier period before the first period read: one sum per tier period.
    const sums = new Map<number, number>();
    const before = (tierStart: number): number => {
      let v = sums.get(tierStart);
      if (v === undefined) {
        v = this.store.db
          .prepare('SELECT COALESCE(SUM(import_wh), 0) FROM rollups WHERE level = ? AND start >= ? AND start < ?')
          .pluck()
          .get(levelId.quarter, tierStart, first) as number;
        sums.set(tierStart, v);
      }
      return v;
    };
    return periods.map((p) => {
      if (p.start > now) return null;
      const a = at(p.start);
      const until = Math.max(p.start, Math.min(p.end, now));
      const b = at(until);
      const intervals = rows.slice(a, b).map(([start, importWh, exportWh]) => ({ start, importWh, exportWh }));
      const tierStart = tierPeriodStart(tariff, p.start);
      const prior = tierStart >= first ? imports[a]! - imports[at(tierStart)]! : before(tierStart) + imports[a]!;
      const span = until > p.start ? until - p.start : p.end - p.start;
      const coverage = Math.min(1000, Math.floor(((covered[b]! - covered[a]!) * 1000) / span));
      return billSoFar({ tariff, from: p.start, to: p.end, intervals, priorImportWh: prior, coverage }, now).bill.total;
    });
  }

  /** What computeBill needs for [from, to): the quarter hours, the tier count before `from`, the coverage. */
  billInput(from: number, to: number, tariff: Tariff): BillInput {
    const db = this.store.db;
    const q = levelId.quarter;
    const intervals = db
      .prepare('SELECT start, import_wh AS importWh, export_wh AS exportWh FROM rollups WHERE level = ? AND start >= ? AND start < ? ORDER BY start')
      .all(q, from, to) as Array<{ start: number; importWh: number; exportWh: number }>;
    const prior = db
      .prepare('SELECT COALESCE(SUM(import_wh), 0) FROM rollups WHERE level = ? AND start >= ? AND start < ?')
      .pluck()
      .get(q, tierPeriodStart(tariff, from), from) as number;
    // Coverage of the part that has begun: a month still running is not "missing" its future.
    const until = Math.max(from, Math.min(to, this.now()));
    const covered = db
      .prepare('SELECT COALESCE(SUM(covered_ms), 0) FROM rollups WHERE level = ? AND start >= ? AND start < ?')
      .pluck()
      .get(q, from, until) as number;
    const span = until > from ? until - from : to - from;
    return { tariff, from, to, intervals, priorImportWh: prior, coverage: Math.min(1000, Math.floor((covered * 1000) / span)) };
  }

  dispose(): void {
    this.store.dispose();
  }
}

function checkBillPeriod(from: number, to: number): void {
  if (!(from < to) || to - from > MAX_BILL_DAYS * 86_400_000) {
    throw new WattletError('BILL_PERIOD_INVALID', 'A bill period runs forward and at most 400 days', { from, to });
  }
}

export function createHistoryService(options: HistoryServiceOptions): HistoryService {
  return new HistoryService(options);
}
