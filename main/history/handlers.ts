import type { Handler } from '../api/dispatcher.js';
import { WattletError } from '../api/errors.js';
import type { historyChannels } from '../api/history.js';
import { compareBill } from './bill/compare.js';
import { exportIntervalsCsv, exportReadingsCsv } from './csv/csv-export.js';
import { importCsv } from './csv/csv-import.js';
import { CsvImportSessions } from './csv/csv-import-session.js';
import { previewCsv } from './csv/csv-preview.js';
import { writeCsvFile } from './csv/csv-file.js';
import type { Level } from './levels.js';
import { wattletReadingsMapping } from './csv/mapping.js';
import { levelId } from './levels.js';
import { queryMeterEvents } from './meter-events.js';
import { checkRange, querySeries } from './series.js';
import type { HistoryService } from './service.js';
import { dashboard } from './dashboard.js';
import type { Tariff } from './tariffs/schema.js';
import { queryTotals, type TotalsPeriod } from './totals.js';

export type HistoryHandlers = { [C in keyof typeof historyChannels]: Handler<C> };

const EXPORT_ROWS = 500_000;
/** A bill covers at most 400 days; a year's period fits. */
const MAX_COST_PERIOD_MS = 400 * 86_400_000;
/** Larger files go through `wattlet history import`, which streams them. */
const CSV_IMPORT_CHARS = 64 * 1024 * 1024;

export interface HistoryHandlerPorts {
  /** Chunked imports from the window (created by the room, which disposes them). */
  readonly imports?: CsvImportSessions;
  /** The desktop app's save dialog (null = the person cancelled); absent in the browser host. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}

/** The handler map for the history channels, over one HistoryService. */
export function historyHandlers(service: HistoryService, ports: HistoryHandlerPorts = {}): HistoryHandlers {
  const store = service.store;
  // Tests that build handlers alone get sessions of their own (their timers never hold the process).
  const imports = ports.imports ?? new CsvImportSessions({ store, onProgress: () => {} });
  const csvLines = (r: { from: number; to: number; kind: 'readings' | 'intervals'; level: Level }) =>
    r.kind === 'readings' ? exportReadingsCsv(store, r.from, r.to) : exportIntervalsCsv(store, r.from, r.to, r.level);
  return {
    'history.meterEvents': (r) => {
      checkRange(r.from, r.to);
      return { events: queryMeterEvents(store, r.from, r.to) };
    },
    'history.query': (r) => querySeries(store, r.from, r.to, r.maxPoints, r.level),
    'history.totals': (r) => totalsWithCost(service, r.from, r.to, r.period, r.cost),
    'history.overview': () => overview(service),
    'history.dashboard': () => dashboard(service),
    'history.exportCsv': (r) => {
      if (!(r.from < r.to)) throw new WattletError('HISTORY_RANGE_INVALID', 'from must be before to', { from: r.from, to: r.to });
      const lines: string[] = [];
      let truncated = false;
      for (const line of csvLines(r)) {
        if (lines.length > EXPORT_ROWS) {
          truncated = true;
          break;
        }
        lines.push(line);
      }
      return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1, truncated };
    },
    'history.exportCsvFile': async (r) => {
      if (!(r.from < r.to)) throw new WattletError('HISTORY_RANGE_INVALID', 'from must be before to', { from: r.from, to: r.to });
      if (!ports.chooseSavePath) throw new WattletError('NOT_AVAILABLE', 'No save dialog in this host: download history.exportCsv instead', { channel: 'history.exportCsvFile' });
      const file = await ports.chooseSavePath(r.suggestedName);
      if (!file) throw new WattletError('HISTORY_EXPORT_CANCELLED', 'Saving the export was cancelled', {});
      return writeCsvFile(file, csvLines(r), EXPORT_ROWS);
    },
    'history.previewCsv': (r) => previewCsv(r.head, r.mapping, store.calendar),
    'history.importBegin': (r) => ({ importId: imports.begin(r.mapping ?? wattletReadingsMapping, r.totalBytes) }),
    'history.importChunk': (r) => imports.chunk(r.importId, r.text, r.bytes, r.last),
    'history.importCancel': (r) => imports.cancel(r.importId),
    'history.importCsv': async (r) => {
      const text = r.csv;
      if (text.length > CSV_IMPORT_CHARS) {
        throw new WattletError('HISTORY_CSV_TOO_LARGE', 'Import this file with the CLI', { limit: CSV_IMPORT_CHARS });
      }
      async function* lines(): AsyncGenerator<string> {
        let start = 0;
        while (start < text.length) {
          let end = text.indexOf('\n', start);
          if (end < 0) end = text.length;
          yield text.slice(start, end);
          start = end + 1;
        }
      }
      return importCsv(store, lines(), r.mapping ?? wattletReadingsMapping);
    },
    'tariff.list': () => ({ ...service.tariffs.list(), activeId: service.activeTariffId }),
    'tariff.get': (r) => {
      const { origin, ...tariff } = service.tariffs.get(r.id);
      return { tariff, origin };
    },
    'tariff.save': (r) => ({ tariff: service.tariffs.save(r.tariff) }),
    'tariff.setActive': (r) => ({ activeId: service.setActiveTariff(r.id) }),
    'bill.compute': (r) => soFar(service, r.from, r.to, r.tariffId),
    'bill.compare': (r) => {
      const bill = soFar(service, r.from, r.to, r.tariffId);
      return { bill, comparison: compareBill(bill, r.utility) };
    },
  };
}

function soFar(service: HistoryService, from: number, to: number, tariffId: string | undefined) {
  const r = service.billSoFar(from, to, tariffId);
  return { ...r.bill, periodTo: r.periodTo, restStanding: r.restStanding };
}

/** Totals, and with `cost` each period's cost so far under the active tariff (none chosen: no cost). */
function totalsWithCost(service: HistoryService, from: number, to: number, period: TotalsPeriod, cost: boolean) {
  const totals = queryTotals(service.store, from, to, period);
  if (!cost || !service.activeTariffId) return { totals, money: null };
  let tariff: Tariff;
  try {
    tariff = service.tariff();
  } catch {
    return { totals, money: null }; // the Bills page says why the tariff does not load
  }
  const costs = service.periodCosts(totals, tariff);
  return {
    totals: totals.map((t, i) => ({ ...t, cost: t.end - t.start <= MAX_COST_PERIOD_MS ? costs[i]! : null })),
    money: { tariffId: tariff.id, currency: tariff.currency, minorUnitDigits: tariff.minorUnitDigits },
  };
}

function overview(service: HistoryService) {
  const store = service.store;
  const cal = store.calendar;
  const now = service.now();
  const row = (level: 'day' | 'month', start: number) => {
    const r = store.db
      .prepare('SELECT import_wh AS importWh, export_wh AS exportWh, covered_ms AS covered FROM rollups WHERE level = ? AND start = ?')
      .get(levelId[level], start) as { importWh: number; exportWh: number; covered: number } | undefined;
    const span = Math.max(1, Math.min(now, cal.nextBucket(level, start)) - start);
    return { start, importWh: r?.importWh ?? 0, exportWh: r?.exportWh ?? 0, coverage: r ? Math.min(1000, Math.floor((r.covered * 1000) / span)) : 0 };
  };
  const dayStart = cal.bucketStart('day', now);
  const monthStart = cal.bucketStart('month', now);
  let monthCost = null;
  const active = service.activeTariffId;
  if (active && now > monthStart) {
    try {
      // The one "cost so far" (bill/bill-so-far.ts), as the Bills page shows this month.
      const bill = service.billSoFar(monthStart, cal.nextBucket('month', monthStart), active).bill;
      monthCost = { tariffId: bill.tariffId, currency: bill.currency, minorUnitDigits: bill.minorUnitDigits, total: bill.total };
    } catch {
      monthCost = null; // a tariff that no longer validates shows as "no cost", the Bills page says why
    }
  }
  const latest = store.latest();
  const first = store.db.prepare('SELECT MIN(first_ts) FROM meters').pluck().get() as number | null;
  return {
    timeZone: store.timeZone,
    hasData: latest !== null,
    firstTs: latest !== null ? first : null,
    today: row('day', dayStart),
    month: row('month', monthStart),
    monthCost,
    latest: latest ? { meter: latest.meter, ts: latest.ts, powerW: latest.powerW, importWh: latest.importWh, exportWh: latest.exportWh } : null,
  };
}
