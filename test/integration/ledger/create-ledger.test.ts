import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../main/history/service.js';
import type { MeterSample } from '../../../main/history/sample.js';
import { createLedger, type Ledger } from '../../../main/ledger/create-ledger.js';
import { dayOf, dayStart, formatDay } from '../../../main/ledger/day.js';
import { historyReadingSource } from '../../../main/ledger/operator/history-source.js';

// The wiring the composition root uses in demo mode: my meter's history (real SQLite store)
// is both the household's record and the demo operator's source.
let dir: string;
let history: HistoryService;
let ledger: Ledger;
const today = dayOf(Date.now() / 1000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wattlet-ledger-history-'));
  history = new HistoryService({ dataDir: dir, timeZone: 'UTC' });
  // Three days of one-minute readings of a simple household: 3 Wh a minute in, 1 Wh out by day.
  const samples: MeterSample[] = [];
  let imp = 1_000_000;
  let exp = 5_000;
  for (let t = dayStart(today - 3) * 1000; t <= dayStart(today) * 1000; t += 60_000) {
    const hour = new Date(t).getUTCHours();
    imp += 3;
    if (hour >= 9 && hour < 16) exp += 1;
    samples.push({ meter: 'E0025000123456789', ts: t, importWh: imp, exportWh: exp, powerW: 180 });
  }
  history.append(samples);
  ledger = await createLedger({ mode: 'demo', meter: 'E0025000123456789', local: historyReadingSource(history), demo: { days: 3, discrepancies: [{ day: today - 1, index: 40, importDeltaWh: 7n }] } });
});
afterAll(async () => {
  await ledger?.dispose();
  history?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('createLedger in demo mode over the history store', () => {
  it('reads 96 whole intervals of a day from the quarter-hour roll-ups', async () => {
    const ivs = await historyReadingSource(history).intervals('', today - 2);
    expect(ivs).toHaveLength(96);
    expect(ivs[0]).toEqual({ start: dayStart(today - 2), seconds: 900, importWh: 45n, exportWh: 0n });
    expect(ivs[40]!.exportWh).toBe(15n);
  });

  it('verifies an anchored day against my history, and shows the injected difference', async () => {
    const ok = await ledger.service.verifyDay(formatDay(today - 2));
    expect(ok.ok).toBe(true);
    const differs = await ledger.service.verifyDay(formatDay(today - 1));
    expect(differs.steps[0]).toMatchObject({ status: 'fail', code: 'PROOF_READINGS_DIFFER' });
    expect(differs.steps[0]!.comparisons.filter((c) => !c.ok).map((c) => [c.expected, c.actual])).toEqual([['45', '52']]);
  });
});
