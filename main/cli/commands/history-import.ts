import fs from 'node:fs';
import readline from 'node:readline';
import { importCsv } from '../../history/csv/csv-import.js';
import { wattletReadingsMapping } from '../../history/csv/mapping.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { UsageError } from '../usage-error.js';
import { openHistory } from './history-args.js';

const USAGE = `Usage: wattlet history import FILE|- [--map MAPPING] [--data-dir DIR] [--json]

Imports readings (or intervals) from a CSV file into the history. Without --map the file is
Wattlet's own export (meter,timestamp,import_wh,export_wh,power_w).

  --map MAPPING   a JSON file, or inline JSON, mapping the file's columns, e.g.
                  '{"delimiter":";","decimal":",","timestamp":{"column":"Time","format":"local"},
                    "import":{"column":"Import kWh","unit":"kWh"},"meter":{"value":"old-meter"}}'
                  kind "intervals" reads energy per interval (intervalMinutes, default 15).
  --data-dir DIR  the data folder (default: $WATTLET_DATA_DIR)
  --json          print the report as JSON
`;

export const historyImport: Command = defineCommand({
  name: 'history import',
  summary: 'Import readings or intervals from CSV (with a column mapping)',
  usage: USAGE,
  options: { map: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
  positionals: 1,
  async run({ values, positionals }, io) {
    let mapping: unknown = wattletReadingsMapping;
    if (values.map !== undefined) {
      const text = values.map.trim().startsWith('{') ? values.map : fs.readFileSync(values.map, 'utf8');
      try {
        mapping = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`--map is not JSON: ${(e as Error).message}`);
      }
    }
    const service = openHistory(io, values['data-dir']);
    try {
      const input = positionals[0] === '-' ? io.stdin : fs.createReadStream(positionals[0]!, 'utf8');
      const lines = readline.createInterface({ input, crlfDelay: Infinity });
      const report = await importCsv(service.store, lines, mapping as Record<string, unknown>);
      if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
      else {
        io.stdout(
          `${report.records} records: ${report.inserted} readings stored, ${report.duplicates} duplicates, ` +
            `${report.late} out of order, ${report.rounded} values rounded to the Wh, ${report.rejected} rejected\n`,
        );
        for (const p of report.problems) io.stdout(`  line ${p.line}: ${p.problem}\n`);
      }
      return report.rejected > 0 ? 1 : 0;
    } finally {
      service.dispose();
    }
  },
});
