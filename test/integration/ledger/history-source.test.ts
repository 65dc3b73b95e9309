import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../main/history/service.js';
import type { MeterSample } from '../../../main/history/sample.js';
import { dayStart, formatDay } from '../../../main/ledger/day.js';
import { historyReadingSource } from '../../../main/ledger/operator/history-source.js';
import { compareReadings, type MeterInterval } from '../../../main/ledger/verify/compare-readings.js';

// The household's record for check 1, over a real SQLite history. The meter counts 3 Wh a minute
// in and 1 Wh out all day; the app started at 00:07 and the link was down from 10:05 to 10:25.
const DAY = 20_000;
const MIN = 60_000;
const Q = 900;
let dir: string;
let history: HistoryService;

function minute(m: number): MeterSample {
  return { meter: 'E0025000123456789', ts: dayStart(DAY) * 1000 + m * MIN, importWh: 1_000_000 + 3 * m, exportWh: 5_000 + m, powerW: 120 };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-reading-source-'));
  history = new HistoryService({ dataDir: dir, timeZone: 'UTC' });
  const seen: MeterSample[] = [];
  for (let m = 7; m <= 24 * 60; m++) if (m <= 10 * 60 + 5 || m >= 10 * 60 + 25) seen.push(minute(m));
  history.append(seen);
});
afterEach(() => {
  history.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The operator's record of the same meter: every quarter, whole. */
const official: MeterInterval[] = Array.from({ length: 96 }, (_, k) => ({ start: dayStart(DAY) + k * Q, seconds: Q, importWh: 45n, exportWh: 15n }));

describe('the household record of a day (historyReadingSource)', () => {
  it('gives every wholly covered quarter its exact energy and leaves out the partly covered ones', async () => {
    const ivs = await historyReadingSource(history).intervals('', DAY);
    const starts = new Set(ivs.map((iv) => (iv.start - dayStart(DAY)) / Q));
    // 00:00 (seen from 00:07), 10:00 (up to 10:05) and 10:15 (from 10:25, and the outage's energy booked there).
    expect([0, 40, 41].filter((k) => starts.has(k))).toEqual([]);
    expect(ivs).toHaveLength(93);
    for (const iv of ivs) expect(iv).toEqual({ start: iv.start, seconds: Q, importWh: 45n, exportWh: 15n });
  });

  it('so check 1 names those quarters as missing on my side, and invents no difference in energy', async () => {
    const local = await historyReadingSource(history).intervals('', DAY);
    const differences = compareReadings(local, official, 1n).filter((c) => !c.ok);
    const date = formatDay(DAY);
    expect(differences.map((c) => [c.subject, c.expected, c.actual])).toEqual([
      [`${date}T00:00Z interval`, 'missing', '45/15'],
      [`${date}T10:00Z interval`, 'missing', '45/15'],
      [`${date}T10:15Z interval`, 'missing', '45/15'],
    ]);
    expect(differences.some((c) => c.subject.endsWith('importWh') || c.subject.endsWith('exportWh'))).toBe(false);
  });

  it('a day without readings is empty, not 96 zeros', async () => {
    expect(await historyReadingSource(history).intervals('', DAY - 1)).toEqual([]);
  });
});
