import path from 'node:path';
import { WattletError } from '../../api/errors.js';
import type { LocalCalendar } from '../../history/calendar.js';
import { parseTimestamp } from '../../history/csv/csv-import.js';
import { createHistoryService, type HistoryService } from '../../history/service.js';
import type { CliIO } from '../command.js';

/** Shared by `history import`, `history export` and `bill`: where the data is, what a date means. */
export function openHistory(io: CliIO, dataDirFlag: string | undefined): HistoryService {
  const dataDir = dataDirFlag ?? io.env.WATTLET_DATA_DIR;
  if (!dataDir) {
    throw new WattletError('HISTORY_DB_OPEN_FAILED', 'No data folder: pass --data-dir or set WATTLET_DATA_DIR', { file: '' });
  }
  return createHistoryService({ dataDir: path.resolve(dataDir) });
}

/**
 * A date on the command line: YYYY-MM (month start), YYYY-MM-DD (local midnight),
 * YYYY-MM-DD HH:MM (local), ISO 8601 with an offset, or 'now'. Local means the household's zone.
 */
export function parseWhen(text: string, cal: LocalCalendar, now: number): number {
  if (text === 'now') return now;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) return cal.toUtc(Number(month[1]), Number(month[2]), 1);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) return cal.toUtc(Number(day[1]), Number(day[2]), Number(day[3]));
  try {
    return parseTimestamp(text, 'iso', cal);
  } catch {
    throw new WattletError('HISTORY_RANGE_INVALID', `Cannot read the date "${text}" (use YYYY-MM-DD, YYYY-MM, or ISO 8601)`, { from: text, to: '' });
  }
}
