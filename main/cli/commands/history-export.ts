import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { exportIntervalsCsv, exportReadingsCsv } from '../../history/csv/csv-export.js';
import { levels, type Level } from '../../history/levels.js';
import type { CliIO, Command } from '../command.js';
import { openHistory, parseWhen } from './history-args.js';

const USAGE = `Usage: wattlet history export [--from DATE] [--to DATE] [--format csv] [--kind readings|intervals]
                              [--level minute|quarter|hour|day|month] [--out FILE] [--data-dir DIR]

Writes the history as CSV: raw readings (default) or roll-up intervals with their coverage.
DATE: YYYY-MM-DD or YYYY-MM (household time), ISO 8601 with offset, or now.
Defaults: everything up to now, intervals at quarter hours, to standard output.
`;

export const historyExport: Command = {
  name: 'history export',
  summary: 'Export readings or intervals as CSV',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        kind: { type: 'string', default: 'readings' },
        level: { type: 'string', default: 'quarter' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    if (values.format !== 'csv' || !['readings', 'intervals'].includes(values.kind) || !levels.includes(values.level as Level)) {
      io.stderr(USAGE);
      return 2;
    }
    const service = openHistory(io, values['data-dir']);
    try {
      const cal = service.store.calendar;
      const now = service.now();
      const from = values.from ? parseWhen(values.from, cal, now) : 0;
      const to = values.to ? parseWhen(values.to, cal, now) : now + 1;
      const lines = values.kind === 'readings' ? exportReadingsCsv(service.store, from, to) : exportIntervalsCsv(service.store, from, to, values.level as Level);
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
};
