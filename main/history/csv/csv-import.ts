import { WattletError } from '../../api/errors.js';
import type { LocalCalendar } from '../calendar.js';
import type { MeterSample } from '../sample.js';
import type { HistoryStore } from '../store.js';
import { csvRecords } from './csv-line.js';
import { parseDecimalScaled } from './decimal.js';
import { csvMappingSchema, unitScaleDigits, type CsvMapping, type CsvMappingInput } from './mapping.js';

export interface CsvImportReport {
  readonly records: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly late: number;
  /** Values with more digits than a Wh (or W) can hold, rounded half away from zero. */
  readonly rounded: number;
  readonly rejected: number;
  /** The first rejected records, with why (`code` and `value` for the UI's words). */
  readonly problems: Array<{ line: number; problem: string; code?: CsvProblemCode; value?: string }>;
}

const BATCH = 50_000;
const MAX_PROBLEMS = 50;

export function parseMapping(input: unknown): CsvMapping {
  const parsed = csvMappingSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WattletError('HISTORY_CSV_MAPPING_INVALID', `Column mapping is invalid: ${issue?.message ?? ''}`, {
      path: issue ? issue.path.join('.') : '',
      problem: issue?.message ?? '',
    });
  }
  return parsed.data;
}

/**
 * Imports CSV lines into the store through the mapping. Bad records are counted and listed
 * (line and problem) while the good ones are stored; a mapping that names a missing column
 * stops the import before anything is written.
 */
export async function importCsv(
  store: HistoryStore,
  lines: AsyncIterable<string>,
  mappingInput: CsvMappingInput | Record<string, unknown>,
  options: { signal?: AbortSignal; onProgress?: (records: number) => void } = {},
): Promise<CsvImportReport> {
  const mapping = parseMapping(mappingInput);
  let index: ((c: string | number) => number) | null = mapping.header ? null : (c) => (typeof c === 'number' ? c : -1);
  let records = 0;
  let inserted = 0;
  let duplicates = 0;
  let late = 0;
  let rounded = 0;
  let rejected = 0;
  const problems: CsvImportReport['problems'] = [];
  let batch: MeterSample[] = [];
  const cumulative = new Map<string, { end: number; importWh: number; exportWh: number }>();
  const flush = (): void => {
    if (!batch.length) return;
    const r = store.append(batch);
    inserted += r.inserted;
    duplicates += r.duplicates;
    late += r.late;
    batch = [];
    options.onProgress?.(records);
  };
  for await (const { line, fields } of csvRecords(lines, mapping.delimiter)) {
    if (options.signal?.aborted) break;
    if (!index) {
      const names = fields.map((f) => f.trim());
      index = (c) => (typeof c === 'number' ? c : names.indexOf(c));
      for (const c of columnsOf(mapping)) {
        if (index(c) < 0 || index(c) >= names.length) {
          throw new WattletError('HISTORY_CSV_MAPPING_INVALID', `The file has no column ${String(c)}`, { path: 'column', problem: `no column ${String(c)}`, columns: names.join(', ').slice(0, 300) });
        }
      }
      continue;
    }
    records++;
    const cell = (c: string | number): string => fields[index!(c)] ?? '';
    try {
      const v = interpretRecord(cell, mapping, store.calendar);
      rounded += v.rounded;
      const { meter, ts, importWh: imp, exportWh: exp, powerW: power } = v;
      if (mapping.kind === 'readings') {
        batch.push({ meter, ts, importWh: imp, exportWh: exp, powerW: power });
      } else {
        // Intervals become the cumulative readings they imply: one at each end, and one at the
        // start when the previous interval did not end there (the hole stays a gap).
        const prev = cumulative.get(meter) ?? { end: -1, importWh: 0, exportWh: 0 };
        if (prev.end !== ts) batch.push({ meter, ts, importWh: prev.importWh, exportWh: prev.exportWh, powerW: null });
        const next = { end: ts + mapping.intervalMinutes * 60_000, importWh: prev.importWh + imp, exportWh: prev.exportWh + (exp ?? 0) };
        cumulative.set(meter, next);
        batch.push({ meter, ts: next.end, importWh: next.importWh, exportWh: next.exportWh, powerW: null });
      }
    } catch (e) {
      rejected++;
      if (problems.length < MAX_PROBLEMS) problems.push(problemOf(line, e));
    }
    if (batch.length >= BATCH) flush();
  }
  flush();
  return { records, inserted, duplicates, late, rounded, rejected, problems };
}

/**
 * Why a record was refused, as a code the UI translates (the message is the English for the CLI
 * and logs): a timestamp or number it cannot read, an empty import or meter, a negative interval.
 */
export type CsvProblemCode = 'timestamp' | 'number' | 'import-empty' | 'meter-empty' | 'interval-negative';

export class CsvRecordProblem extends Error {
  constructor(
    readonly code: CsvProblemCode,
    message: string,
    /** The field as read (at most 40 characters), when one is at fault. */
    readonly value: string = '',
  ) {
    super(message);
  }
}

function problemOf(line: number, e: unknown): CsvImportReport['problems'][number] {
  if (e instanceof CsvRecordProblem) return { line, problem: e.message, code: e.code, value: e.value };
  return { line, problem: e instanceof Error ? e.message : String(e) };
}

/** One record's values through the mapping: what a reading (or an interval) of it would store. */
export interface RecordValues {
  readonly meter: string;
  readonly ts: number;
  /** A reading's register, or an interval's energy (Wh). */
  readonly importWh: number;
  readonly exportWh: number | null;
  readonly powerW: number | null;
  /** How many of its values had more digits than a Wh (or W) holds. */
  readonly rounded: number;
}

/** Reads one record through the mapping; a field it cannot read throws a CsvRecordProblem. */
export function interpretRecord(cell: (c: string | number) => string, mapping: CsvMapping, cal: LocalCalendar): RecordValues {
  const ts = parseTimestamp(cell(mapping.timestamp.column), mapping.timestamp.format, cal);
  let rounded = 0;
  const num = (c: string | number, unit: keyof typeof unitScaleDigits, what: string): number | null => {
    const text = cell(c);
    if (text.trim() === '') return null;
    const v = parseDecimalScaled(text, unitScaleDigits[unit], mapping.decimal);
    if (!v) throw new CsvRecordProblem('number', `${what} "${text.slice(0, 40)}" is not a number`, text.slice(0, 40));
    if (v.rounded) rounded++;
    return v.value;
  };
  const importWh = num(mapping.import.column, mapping.import.unit, 'import');
  if (importWh === null) throw new CsvRecordProblem('import-empty', 'import is empty');
  const exportWh = mapping.export ? num(mapping.export.column, mapping.export.unit, 'export') : null;
  const powerW = mapping.power ? num(mapping.power.column, mapping.power.unit, 'power') : null;
  const meter = 'value' in mapping.meter ? mapping.meter.value : cell(mapping.meter.column).trim();
  if (!meter) throw new CsvRecordProblem('meter-empty', 'meter is empty');
  if (mapping.kind === 'intervals' && (importWh < 0 || (exportWh ?? 0) < 0)) throw new CsvRecordProblem('interval-negative', 'interval energy is negative');
  return { meter, ts, importWh, exportWh, powerW, rounded };
}

export function columnsOf(m: CsvMapping): Array<string | number> {
  const cols: Array<string | number> = [m.timestamp.column, m.import.column];
  if (m.export) cols.push(m.export.column);
  if (m.power) cols.push(m.power.column);
  if ('column' in m.meter) cols.push(m.meter.column);
  return cols;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

export function parseTimestamp(text: string, format: CsvMapping['timestamp']['format'], cal: LocalCalendar): number {
  const s = text.trim();
  if (format === 'epoch-ms' || format === 'epoch-s') {
    if (!/^\d{1,16}$/.test(s)) throw new CsvRecordProblem('timestamp', `timestamp "${s.slice(0, 40)}" is not an epoch number`, s.slice(0, 40));
    return Number(s) * (format === 'epoch-s' ? 1000 : 1);
  }
  const local = LOCAL.exec(s);
  if (local) {
    const [, y, mo, d, h, mi, sec, ms] = local;
    return cal.toUtc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  }
  if (format === 'iso' && /(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  throw new CsvRecordProblem('timestamp', `timestamp "${s.slice(0, 40)}" is not ${format === 'iso' ? 'ISO 8601' : 'YYYY-MM-DD HH:MM'}`, s.slice(0, 40));
}
