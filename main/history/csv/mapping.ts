import { z } from 'zod';

const column = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]);

/**
 * How another tool's CSV maps onto readings or intervals. Columns are named (header row) or
 * 0-based indices. Units convert exactly (decimal text, no floats).
 * - kind 'readings': cumulative register values at instants (what a meter shows);
 * - kind 'intervals': energy per interval (what a utility portal exports); stored as the
 *   cumulative readings they imply at each interval's start and end, under their own meter name.
 */
export const csvMappingSchema = z.object({
  kind: z.enum(['readings', 'intervals']).default('readings'),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  decimal: z.enum(['.', ',']).default('.'),
  header: z.boolean().default(true),
  timestamp: z.object({
    column,
    /** iso: ISO 8601 (no offset = the household's local time); local: "YYYY-MM-DD HH:MM[:SS]". */
    format: z.enum(['iso', 'local', 'epoch-ms', 'epoch-s']).default('iso'),
  }),
  /** For intervals: the length of each, when the file has no end column. */
  intervalMinutes: z.number().int().min(1).max(1440).default(15),
  import: z.object({ column, unit: z.enum(['Wh', 'kWh', 'MWh']).default('Wh') }),
  export: z.object({ column, unit: z.enum(['Wh', 'kWh', 'MWh']).default('Wh') }).optional(),
  power: z.object({ column, unit: z.enum(['W', 'kW']).default('W') }).optional(),
  meter: z.union([z.object({ column }), z.object({ value: z.string().min(1).max(200) })]).default({ value: 'imported' }),
});
export type CsvMapping = z.output<typeof csvMappingSchema>;
export type CsvMappingInput = z.input<typeof csvMappingSchema>;

/** Our own export of readings (history export --format csv), re-importable as is. */
export const wattletReadingsMapping: CsvMappingInput = {
  kind: 'readings',
  timestamp: { column: 'timestamp', format: 'iso' },
  import: { column: 'import_wh', unit: 'Wh' },
  export: { column: 'export_wh', unit: 'Wh' },
  power: { column: 'power_w', unit: 'W' },
  meter: { column: 'meter' },
};

export const unitScaleDigits = { Wh: 0, kWh: 3, MWh: 6, W: 0, kW: 3 } as const;
