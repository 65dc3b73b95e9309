import type { LocalCalendar } from '../calendar.js';
import { csvRecords } from './csv-line.js';
import { CsvRecordProblem, interpretRecord, columnsOf, parseMapping, type CsvProblemCode, type RecordValues } from './csv-import.js';
import { wattletReadingsMapping, type CsvMappingInput } from './mapping.js';
import { intervalsHeader, readingsHeader } from './csv-export.js';

/**
 * What an import would read from the first lines of a file, before anything is stored: the
 * file's columns, and each of the first records as the mapping reads it (or why it cannot). The
 * Import panel shows it beside the mapping so a person sees "12.5 kWh at 00:15" before pressing
 * Import. Without a mapping, one is suggested from the header (Wattlet's own exports are
 * recognised; otherwise the delimiter is guessed).
 */
export interface CsvPreview {
  readonly columns: string[];
  readonly mapping: CsvMappingInput;
  /** Which mapping was used: the caller's, Wattlet's readings or intervals export, or a guess. */
  readonly source: 'given' | 'wattlet-readings' | 'wattlet-intervals' | 'guessed';
  readonly rows: Array<{ line: number; fields: string[]; values: RecordValues | null; problem: { code: CsvProblemCode | 'other'; value: string; message: string } | null }>;
  /** A mapping that does not fit the file (a missing column): the UI says which. */
  readonly missingColumns: string[];
}

const PREVIEW_ROWS = 10;

export async function previewCsv(head: string, mappingInput: CsvMappingInput | Record<string, unknown> | undefined, cal: LocalCalendar): Promise<CsvPreview> {
  const firstLine = head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : head.length).replace(/\r$/, '').replace(/^\uFEFF/, '');
  let source: CsvPreview['source'] = 'given';
  let input = mappingInput;
  if (!input) ({ mapping: input, source } = suggestMapping(firstLine));
  const mapping = parseMapping(input);
  // The last line of a head may be cut mid-way: leave it out unless the head is the whole file.
  const lines = head.split('\n');
  if (!head.endsWith('\n') && lines.length > 1) lines.pop();
  async function* each(): AsyncGenerator<string> {
    yield* lines.map((l) => l.replace(/^\uFEFF/, ''));
  }
  let names: string[] | null = null;
  const rows: CsvPreview['rows'] = [];
  let missingColumns: string[] = [];
  for await (const { line, fields } of csvRecords(each(), mapping.delimiter)) {
    if (mapping.header && names === null) {
      names = fields.map((f) => f.trim());
      missingColumns = columnsOf(mapping).filter((c) => (typeof c === 'number' ? c >= names!.length : !names!.includes(c))).map(String);
      continue;
    }
    if (names === null) names = fields.map((_, i) => String(i));
    const index = (c: string | number): number => (typeof c === 'number' ? c : mapping.header ? names!.indexOf(c) : -1);
    try {
      rows.push({ line, fields, values: interpretRecord((c) => fields[index(c)] ?? '', mapping, cal), problem: null });
    } catch (e) {
      const problem = e instanceof CsvRecordProblem ? { code: e.code, value: e.value, message: e.message } : { code: 'other' as const, value: '', message: e instanceof Error ? e.message : String(e) };
      rows.push({ line, fields, values: null, problem });
    }
    if (rows.length >= PREVIEW_ROWS) break;
  }
  return { columns: names ?? [], mapping: input as CsvMappingInput, source, rows, missingColumns };
}

/** A mapping for a header: Wattlet's own exports as they are; another tool's by its delimiter and first columns. */
export function suggestMapping(header: string): { mapping: CsvMappingInput; source: CsvPreview['source'] } {
  const h = header.trim();
  if (h === readingsHeader) return { mapping: wattletReadingsMapping, source: 'wattlet-readings' };
  if (h === intervalsHeader) {
    return {
      mapping: { kind: 'intervals', timestamp: { column: 'start', format: 'iso' }, import: { column: 'import_wh', unit: 'Wh' }, export: { column: 'export_wh', unit: 'Wh' }, meter: { value: 'imported' } },
      source: 'wattlet-intervals',
    };
  }
  const delimiters = [',', ';', '\t', '|'] as const;
  const delimiter = delimiters.reduce((best, d) => (h.split(d).length > h.split(best).length ? d : best), ',' as (typeof delimiters)[number]);
  const names = h.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, ''));
  const kwh = (n: string) => /kwh/i.test(n);
  const time = names.find((n) => /time|date|zeit|datum|时间|日期|start/i.test(n)) ?? names[0] ?? '0';
  const energy = names.filter((n) => n !== time);
  const imp = energy.find((n) => /import|consum|bezug|用电|正向|kwh|wh/i.test(n)) ?? energy[0] ?? names[1] ?? '1';
  const exp = energy.find((n) => n !== imp && /export|einspeis|feed|上网|反向/i.test(n));
  return {
    mapping: {
      kind: 'readings',
      delimiter,
      // A semicolon file is usually from a locale that writes decimal commas.
      decimal: delimiter === ';' ? ',' : '.',
      timestamp: { column: time, format: 'iso' },
      import: { column: imp, unit: kwh(imp) ? 'kWh' : 'Wh' },
      ...(exp ? { export: { column: exp, unit: kwh(exp) ? 'kWh' : 'Wh' } } : {}),
      meter: { value: 'imported' },
    },
    source: 'guessed',
  };
}
