import fs from 'node:fs';
import { exportIntervalsCsv, exportReadingsCsv } from '../../history/csv/csv-export.js';
import { levels } from '../../history/levels.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { oneOf } from '../usage-error.js';
import { openHistory, parseWhen } from './history-args.js';

const USAGE = `Usage: wattlet history export [--from DATE] [--to DATE] [--format csv] [--kind readings|intervals]
                              [--level minute|quarter|hour|day|month] [--out FILE] [--data-dir DIR]

Writes the history as CSV: raw readings (default) or roll-up intervals with their coverage.
DATE: YYYY-MM-DD or YYYY-MM (household time), ISO 8601 with offset, or now.
Defaults: everything up to now, intervals at quarter hours, to standard output.
`;

export const historyExport: Command = defineCommand({
  name: 'history export',
  summary: 'Export readings or intervals as CSV',
  usage: USAGE,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string', default: 'csv' },
    kind: { type: 'string', default: 'readings' },
    level: { type: 'string', default: 'quarter' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run({ values }, io) {
    oneOf(values.format, 'format', ['csv']);
    const kind = oneOf(values.kind, 'kind', ['readings', 'intervals']);
    const level = oneOf(values.level, 'level', levels);
    const service = openHistory(io, values['data-dir']);
    try {
      const cal = service.store.calendar;
      const now = service.now();
      const from = values.from ? parseWhen(values.from, cal, now) : 0;
      const to = values.to ? parseWhen(values.to, cal, now) : now + 1;
      const lines = kind === 'readings' ? exportReadingsCsv(service.store, from, to) : exportIntervalsCsv(service.store, from, to, level);
      if (values.out) {
        const fd = fs.openSync(values.out, 'w');
        try {
          let chunk: string[] = [];
          for (const line of lines) {
            chunk.push(line);
            if (chunk.length === 10_000) {
              fs.writeSync(fd, `${chunk.join('\n')}\n`);
              chunk = [];
            }
          }
          if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
        } finally {
          fs.closeSync(fd);
        }
      } else {
        for (const line of lines) io.stdout(`${line}\n`);
      }
      return 0;
    } finally {
      service.dispose();
    }
  },
});
