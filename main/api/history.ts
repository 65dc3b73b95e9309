import { z } from 'zod';
import { channel, event } from './channel.js';

// The history domain of the contract: consumption history, tariffs, bills, CSV.
// Energy is integer Wh, money integer minor units (fen, cents), times UTC ms.

export const historyErrorCodes = [
  'HISTORY_DB_OPEN_FAILED', // facts: file
  'HISTORY_DB_CORRUPT', // facts: file
  'HISTORY_SCHEMA_TOO_NEW', // facts: file, version, supported
  'HISTORY_TIMEZONE_INVALID', // facts: timeZone
  'HISTORY_RANGE_INVALID', // facts: from, to
  'HISTORY_READING_INVALID', // facts: meter, ts
  'HISTORY_METER_LIMIT', // facts: meter
  'HISTORY_CSV_MAPPING_INVALID', // facts: path, problem
  'HISTORY_CSV_TOO_LARGE', // facts: limit (characters)
  'HISTORY_IMPORT_BUSY', // facts: running (imports already running)
  'HISTORY_IMPORT_UNKNOWN', // a chunk for an import that is not running; facts: importId
  'HISTORY_EXPORT_CANCELLED', // the person closed the save dialog
  'HISTORY_EXPORT_WRITE_FAILED', // facts: file, reason
  'TARIFF_NOT_FOUND', // facts: id
  'TARIFF_INVALID', // facts: file, path, problem
  'TARIFF_READ_ONLY', // facts: id
  'BILL_NO_TARIFF', // no tariff chosen yet
  'BILL_PERIOD_INVALID', // facts: from, to
] as const;
export type HistoryErrorCode = (typeof historyErrorCodes)[number];

const ms = z.number().int().min(0).max(2 ** 42);
const range = z.object({ from: ms, to: ms });
export const rollupLevel = z.enum(['minute', 'quarter', 'hour', 'day', 'month']);
const nullableWh = z.array(z.number().int().nullable());

export const seriesSchema = z.object({
  level: rollupLevel,
  from: ms,
  to: ms,
  t: z.array(z.number().int()),
  importWh: nullableWh,
  exportWh: nullableWh,
  netWh: nullableWh,
  /** Covered time per bucket, permille; 0 = gap. */
  coverage: z.array(z.number().int()),
  gaps: z.array(z.tuple([z.number().int(), z.number().int()])),
});

export const periodTotalSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  importWh: z.number().int(),
  exportWh: z.number().int(),
  netWh: z.number().int(),
  coverage: z.number().int(),
});

const localized = z.object({ en: z.string(), 'zh-CN': z.string() });
export const tariffSummarySchema = z.object({
  id: z.string(),
  name: localized,
  currency: z.string(),
  source: z.enum(['builtin', 'user']),
  kinds: z.array(z.enum(['flat', 'time-of-use', 'tiered', 'feed-in', 'net-metering', 'standing', 'tax'])),
});

/**
 * A tariff document crosses as a JSON object; its schema (and the meaning of every unit) is
 * main/history/tariffs/schema.ts, which the handler applies — errors come back as
 * TARIFF_INVALID with the failing path, which a form can point at.
 */
export const tariffDocument = z.record(z.string(), z.unknown());

export const billLineSchema = z.object({
  key: z.string(),
  kind: z.enum(['energy', 'export', 'net', 'standing', 'tax']),
  window: z.string().nullable(),
  tier: z.number().int(),
  energyWh: z.number().int().nullable(),
  quantity: z.number().int().nullable(),
  /** What `quantity` counts: days or months (standing charges), a tax's base in minor units. */
  quantityUnit: z.enum(['day', 'month', 'minor']).nullable(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
});

export const billSchema = z.object({
  tariffId: z.string(),
  currency: z.string(),
  minorUnitDigits: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
  importWh: z.number().int(),
  exportWh: z.number().int(),
  lines: z.array(billLineSchema),
  subtotal: z.number().int(),
  taxTotal: z.number().int(),
  total: z.number().int(),
  coverage: z.number().int(),
});

/** A bill as far as its period has run ("cost so far", main/history/bill/bill-so-far.ts). */
export const billSoFarSchema = billSchema.extend({
  /** The period asked for ends here; `to` is where "so far" ends (now, for a period still running). */
  periodTo: z.number().int(),
  /** What the standing charges of the days not begun yet (with their tax) add by `periodTo`. */
  restStanding: z.number().int(),
});

export const utilityBillSchema = z.object({
  lines: z
    .array(z.object({ key: z.string().min(1).max(100), energyWh: z.number().int().nullable().optional(), amount: z.number().int().nullable().optional() }))
    .max(100),
  total: z.number().int(),
});

export const differenceReason = z.enum(['rounding', 'energy-differs', 'history-gaps', 'price-differs', 'not-on-bill', 'not-in-tariff', 'not-typed']);
export const comparisonSchema = z.object({
  rows: z.array(
    z.object({
      key: z.string(),
      oursEnergyWh: z.number().int().nullable(),
      oursAmount: z.number().int().nullable(),
      theirsEnergyWh: z.number().int().nullable(),
      theirsAmount: z.number().int().nullable(),
      energyDiffWh: z.number().int().nullable(),
      amountDiff: z.number().int().nullable(),
      /** 'unchecked': a line the person left empty, which the typed total does not contradict. */
      status: z.enum(['match', 'rounding', 'differs', 'unchecked']),
      reasons: z.array(differenceReason),
      impliedUnitPrice: z.number().int().nullable(),
      ourUnitPrice: z.number().int().nullable(),
    }),
  ),
  oursTotal: z.number().int(),
  theirsTotal: z.number().int(),
  totalDiff: z.number().int(),
  status: z.enum(['match', 'rounding', 'differs']),
  /** The line with the largest absolute money difference (never a line left empty). */
  largestKey: z.string().nullable(),
  /** The part of the total's difference that no typed line accounts for (minor units). */
  untypedDiff: z.number().int(),
});

export const energyPairSchema = z.object({ start: z.number().int(), importWh: z.number().int(), exportWh: z.number().int(), coverage: z.number().int() });

export const overviewSchema = z.object({
  timeZone: z.string(),
  hasData: z.boolean(),
  /** The oldest reading's time: "Ten years" starts there rather than at nine empty years. */
  firstTs: z.number().int().nullable(),
  today: energyPairSchema,
  month: energyPairSchema,
  /** This month's bill so far under the active tariff; null when none is chosen. */
  monthCost: z.object({ tariffId: z.string(), currency: z.string(), minorUnitDigits: z.number().int(), total: z.number().int() }).nullable(),
  latest: z.object({ meter: z.string(), ts: z.number().int(), powerW: z.number().int().nullable(), importWh: z.number().int(), exportWh: z.number().int().nullable() }).nullable(),
});

const nullableWhList = z.array(z.number().int().nullable());
const tierProgressSchema = z.object({
  basis: z.enum(['monthly', 'annual']),
  periodFrom: z.number().int(),
  periodTo: z.number().int(),
  usedWh: z.number().int(),
  tier: z.number().int(),
  tiers: z.number().int(),
  tierFromWh: z.number().int(),
  tierToWh: z.number().int().nullable(),
  inTierWh: z.number().int(),
  leftWh: z.number().int().nullable(),
  adder: z.number().int(),
  nextAdder: z.number().int().nullable(),
});

/** The Overview's figures (main/history/dashboard.ts): every amount in minor units of `money.currency`. */
export const dashboardSchema = z.object({
  timeZone: z.string(),
  now: z.number().int(),
  today: z.object({ from: z.number().int(), to: z.number().int(), t: z.array(z.number().int()), importWh: nullableWhList, exportWh: nullableWhList, coverage: z.array(z.number().int()) }),
  days: z.array(z.object({ start: z.number().int(), importWh: z.number().int(), exportWh: z.number().int(), coverage: z.number().int(), cost: z.number().int().nullable() })),
  month: z.object({ from: z.number().int(), to: z.number().int(), importWh: z.number().int(), exportWh: z.number().int(), coverage: z.number().int() }),
  money: z
    .object({
      tariffId: z.string(),
      currency: z.string(),
      minorUnitDigits: z.number().int(),
      todayCost: z.number().int(),
      monthSoFar: z.number().int(),
      restStanding: z.number().int(),
      forecast: z
        .object({
          total: z.number().int(),
          importWh: z.number().int(),
          exportWh: z.number().int(),
          basis: z.object({ days: z.number().int(), from: z.number().int(), to: z.number().int(), dailyImportWh: z.number().int(), dailyExportWh: z.number().int() }),
        })
        .nullable(),
    })
    .nullable(),
  /** Why there are no costs though a tariff is chosen (an error code). */
  tariffProblem: z.string().nullable(),
  tier: tierProgressSchema.nullable(),
});

const csvMappingDocument = z.record(z.string(), z.unknown());

const csvProblemCode = z.enum(['timestamp', 'number', 'import-empty', 'meter-empty', 'interval-negative']);

export const csvImportReportSchema = z.object({
  records: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  late: z.number().int(),
  rounded: z.number().int(),
  rejected: z.number().int(),
  /** `problem` is English (CLI, logs); `code` and `value` are what the window translates. */
  problems: z.array(z.object({ line: z.number().int(), problem: z.string(), code: csvProblemCode.optional(), value: z.string().optional() })),
});

export const importProgressSchema = z.object({
  importId: z.string(),
  doneBytes: z.number().int(),
  totalBytes: z.number().int(),
  lines: z.number().int(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
});

const importAnswerSchema = importProgressSchema.extend({
  report: csvImportReportSchema.extend({ cancelled: z.boolean() }).nullable(),
});

const recordValuesSchema = z.object({
  meter: z.string(),
  ts: z.number().int(),
  importWh: z.number().int(),
  exportWh: z.number().int().nullable(),
  powerW: z.number().int().nullable(),
  rounded: z.number().int(),
});

export const csvPreviewSchema = z.object({
  columns: z.array(z.string()),
  mapping: csvMappingDocument,
  source: z.enum(['given', 'wattlet-readings', 'wattlet-intervals', 'guessed']),
  rows: z.array(
    z.object({
      line: z.number().int(),
      fields: z.array(z.string()),
      values: recordValuesSchema.nullable(),
      problem: z.object({ code: z.union([csvProblemCode, z.literal('other')]), value: z.string(), message: z.string() }).nullable(),
    }),
  ),
  missingColumns: z.array(z.string()),
});

/** One message of an import: the browser host takes at most 1 MiB, so chunks stay well below. */
export const IMPORT_CHUNK_CHARS = 256 * 1024;

const eventReading = z.object({ ts: ms, importWh: z.number().int(), exportWh: z.number().int().nullable() });
/** main/history/meter-events.ts: a register restart (swap), an impossible rise (jump) or a skipped outlier (glitch). */
export const meterEventSchema = z.object({
  meter: z.string(),
  kind: z.enum(['swap', 'jump', 'glitch']),
  at: ms,
  /** The last reading before it: a swap's old final reading. */
  before: eventReading.nullable(),
  /** A swap's (or jump's) new first reading; a glitch's skipped reading. */
  reading: eventReading,
  /** The interval whose energy is unknown (swap, jump); null for a glitch (nothing was lost). */
  unknown: z.object({ from: ms, to: ms }).nullable(),
});
export type MeterEventDto = z.infer<typeof meterEventSchema>;

export const historyChannels = {
  'history.meterEvents': channel({
    doc: "What the meter's registers did that was not counted as energy over a range, oldest first (at most 500): swaps with the unknown interval, jumps, skipped glitches.",
    request: range,
    response: z.object({ events: z.array(meterEventSchema) }),
    errors: ['HISTORY_RANGE_INVALID'],
  }),
  'history.query': channel({
    doc: 'Import, export and net per bucket over a range, from the roll-up that keeps it within maxPoints (≤ 2000), with coverage and gaps.',
    request: range.extend({ maxPoints: z.number().int().min(10).max(2000).default(2000), level: rollupLevel.optional() }),
    response: seriesSchema,
    errors: ['HISTORY_RANGE_INVALID'],
  }),
  'history.totals': channel({
    doc: "Totals per local day, ISO week, month or year over a range; with `cost`, each period's cost so far under the active tariff.",
    request: range.extend({ period: z.enum(['day', 'week', 'month', 'year']), cost: z.boolean().default(false) }),
    response: z.object({
      totals: z.array(periodTotalSchema.extend({ cost: z.number().int().nullable().optional() })),
      /** The currency of `cost`; null when no cost was asked for or no tariff is chosen. */
      money: z.object({ tariffId: z.string(), currency: z.string(), minorUnitDigits: z.number().int() }).nullable(),
    }),
    errors: ['HISTORY_RANGE_INVALID'],
  }),
  'history.overview': channel({
    doc: "Today's and this month's energy, this month's cost so far, the newest reading.",
    request: z.object({}),
    response: overviewSchema,
    errors: [],
  }),
  'history.dashboard': channel({
    doc: "The Overview: today's curve, the last 30 days with their cost, this month's cost so far and forecast, the tier reached.",
    request: z.object({}),
    response: dashboardSchema,
    errors: [],
  }),
  'history.exportCsv': channel({
    doc: 'Readings or roll-up intervals of a range as CSV text (at most 500,000 rows; larger exports use the CLI).',
    request: range.extend({ kind: z.enum(['readings', 'intervals']), level: rollupLevel.default('quarter') }),
    response: z.object({ csv: z.string(), rows: z.number().int(), truncated: z.boolean() }),
    errors: ['HISTORY_RANGE_INVALID'],
  }),
  'history.exportCsvFile': channel({
    doc: 'Like exportCsv, written to a file the person chooses in a save dialog (the desktop app; the browser host downloads exportCsv instead).',
    request: range.extend({ kind: z.enum(['readings', 'intervals']), level: rollupLevel.default('quarter'), suggestedName: z.string().min(1).max(120).regex(/^[^/\\]+$/) }),
    response: z.object({ file: z.string(), rows: z.number().int(), bytes: z.number().int(), truncated: z.boolean() }),
    errors: ['HISTORY_RANGE_INVALID', 'HISTORY_EXPORT_CANCELLED', 'HISTORY_EXPORT_WRITE_FAILED'],
  }),
  'history.previewCsv': channel({
    doc: "How an import would read the first lines of a file (columns, the first records' values or problems); without a mapping, one is suggested.",
    request: z.object({ head: z.string().max(IMPORT_CHUNK_CHARS), mapping: csvMappingDocument.optional() }),
    response: csvPreviewSchema,
    errors: ['HISTORY_CSV_MAPPING_INVALID'],
  }),
  'history.importBegin': channel({
    doc: 'Start an import sent in chunks (importChunk); progress as history.importProgress; cancel with importCancel.',
    request: z.object({ mapping: csvMappingDocument.optional(), totalBytes: z.number().int().min(0).max(2 ** 42) }),
    response: z.object({ importId: z.string() }),
    errors: ['HISTORY_CSV_MAPPING_INVALID', 'HISTORY_IMPORT_BUSY'],
  }),
  'history.importChunk': channel({
    doc: 'The next piece of the file (text of `bytes` bytes); answered once its lines are read, with the report after the last.',
    request: z.object({ importId: z.string().min(1).max(64), text: z.string().max(IMPORT_CHUNK_CHARS), bytes: z.number().int().min(0), last: z.boolean() }),
    response: importAnswerSchema,
    errors: ['HISTORY_IMPORT_UNKNOWN', 'HISTORY_CSV_MAPPING_INVALID', 'HISTORY_READING_INVALID'],
  }),
  'history.importCancel': channel({
    doc: 'Stop an import at the next record; what was read before stays stored. Answers the report so far (null for an unknown id).',
    request: z.object({ importId: z.string().min(1).max(64) }),
    response: importAnswerSchema.nullable(),
    errors: [],
  }),
  'history.importCsv': channel({
    doc: "Imports CSV text (another tool's export) through a column mapping (main/history/csv/mapping.ts); omitted = Wattlet's own format.",
    request: z.object({ csv: z.string(), mapping: csvMappingDocument.optional() }),
    response: csvImportReportSchema,
    errors: ['HISTORY_CSV_MAPPING_INVALID', 'HISTORY_READING_INVALID', 'HISTORY_CSV_TOO_LARGE'],
  }),
  'tariff.list': channel({
    doc: 'Built-in and user tariffs, the active one, and user files that failed validation.',
    request: z.object({}),
    response: z.object({ tariffs: z.array(tariffSummarySchema), activeId: z.string().nullable(), problems: z.array(z.object({ file: z.string(), problem: z.string() })) }),
    errors: [],
  }),
  'tariff.get': channel({
    doc: 'One tariff document (the user copy when there is one).',
    request: z.object({ id: z.string().min(1).max(64) }),
    response: z.object({ tariff: tariffDocument, origin: z.enum(['builtin', 'user']) }),
    errors: ['TARIFF_NOT_FOUND', 'TARIFF_INVALID'],
  }),
  'tariff.save': channel({
    doc: "Validates and saves a tariff in the data folder's tariffs/ (a built-in id saves a user copy that takes precedence).",
    request: z.object({ tariff: tariffDocument }),
    response: z.object({ tariff: tariffDocument }),
    errors: ['TARIFF_INVALID'],
  }),
  'tariff.setActive': channel({
    doc: 'The tariff the Overview and Bills use by default.',
    request: z.object({ id: z.string().min(1).max(64) }),
    response: z.object({ activeId: z.string() }),
    errors: ['TARIFF_NOT_FOUND'],
  }),
  'bill.compute': channel({
    doc: 'The bill for [from, to) under a tariff (default: the active one), line by line, so far: a period still running is billed up to now (`to`), `restStanding` says what its remaining days add.',
    request: range.extend({ tariffId: z.string().min(1).max(64).optional() }),
    response: billSoFarSchema,
    errors: ['TARIFF_NOT_FOUND', 'TARIFF_INVALID', 'BILL_NO_TARIFF', 'BILL_PERIOD_INVALID'],
  }),
  'bill.compare': channel({
    doc: "Our bill beside the amounts typed in from the utility's bill: differences per line and why.",
    request: range.extend({ tariffId: z.string().min(1).max(64).optional(), utility: utilityBillSchema }),
    response: z.object({ bill: billSoFarSchema, comparison: comparisonSchema }),
    errors: ['TARIFF_NOT_FOUND', 'TARIFF_INVALID', 'BILL_NO_TARIFF', 'BILL_PERIOD_INVALID'],
  }),
};

export const historyEvents = {
  'history.importProgress': event({
    doc: 'A chunked import read another piece of its file (or finished, or was cancelled).',
    payload: importProgressSchema,
  }),
  'history.appended': event({
    doc: 'Readings were stored (after the commit): views showing recent data may refresh.',
    payload: z.object({ inserted: z.number().int(), newestTs: z.number().int() }),
  }),
};
