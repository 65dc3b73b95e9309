import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { historyHandlers } from '../../../main/history/handlers.js';
import { createHistoryService, type HistoryService } from '../../../main/history/service.js';

// history.meterEvents through the real dispatcher (request and answer checked against the
// contract) over a real SQLite history: what the household's History page lists.
const CN = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h - 8);
const Q = 900_000;
let service: HistoryService | null = null;
let dir = '';
afterEach(() => {
  service?.dispose();
  service = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('history.meterEvents', () => {
  it('lists a meter swap with its unknown interval and a skipped glitch, oldest first; a bad range is refused with a code', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-meter-events-'));
    service = createHistoryService({ dataDir: dir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs'), now: () => CN(2025, 6, 2), emit: () => {} });
    const t0 = CN(2025, 6, 1);
    const at = (i: number, importWh: number) => ({ meter: 'E0025', ts: t0 + i * Q, importWh, exportWh: null, powerW: null });
    service.append([at(0, 10_000), at(1, 0), at(2, 10_500), at(3, 10_750), at(4, 12), at(5, 262)]);
    const dispatch = createDispatcher(historyHandlers(service), { onInternalError: (c, e) => { throw new Error(`${c}: ${String(e)}`); } });
    const answer = await dispatch('history.meterEvents', { from: t0, to: t0 + 86_400_000 }, { host: 'browser' });
    expect(answer).toEqual({
      ok: true,
      result: {
        events: [
          { meter: 'E0025', kind: 'glitch', at: t0 + Q, before: { ts: t0, importWh: 10_000, exportWh: null }, reading: { ts: t0 + Q, importWh: 0, exportWh: null }, unknown: null },
          {
            meter: 'E0025',
            kind: 'swap',
            at: t0 + 4 * Q,
            before: { ts: t0 + 3 * Q, importWh: 10_750, exportWh: null },
            reading: { ts: t0 + 4 * Q, importWh: 12, exportWh: null },
            unknown: { from: t0 + 3 * Q, to: t0 + 4 * Q },
          },
        ],
      },
    });
    expect(await dispatch('history.meterEvents', { from: t0 + 5, to: t0 }, { host: 'browser' })).toMatchObject({ ok: false, error: { code: 'HISTORY_RANGE_INVALID' } });
  });
});
