import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryService } from '../../../main/history/service.js';
import type { MeterSample } from '../../../main/history/sample.js';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, dayStart, formatDay } from '../../../main/ledger/day.js';
import { historyReadingSource } from '../../../main/ledger/operator/history-source.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { LedgerStore } from './ledger-store.svelte.js';

// The Ledger page's store over the app as composeServices builds it, in live mode against an
// operator on a local Hardhat chain that anchored three days of my meter's history, one of them
// with 7 Wh more in than my meter counted.
const SERIAL = 'E0025000123456789';
const today = dayOf(Date.now() / 1000);

function writeHistory(dataDir: string): void {
  const history = new HistoryService({ dataDir, timeZone: 'UTC' });
  const samples: MeterSample[] = [];
  let imp = 1_000_000;
  for (let t = dayStart(today - 3) * 1000; t <= dayStart(today) * 1000; t += 60_000) samples.push({ meter: SERIAL, ts: t, importWh: (imp += 3), exportWh: 5_000, powerW: 180 });
  history.append(samples);
  history.dispose();
}

describe('LedgerStore against a live ledger', () => {
  let operator: DemoLedger;
  let app: ComposedApp;

  beforeAll(async () => {
    // My meter's history is in the data folder before the app starts, as a person's would be.
    const dataDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-store-'));
    writeHistory(dataDir);
    const history = new HistoryService({ dataDir, timeZone: 'UTC' });
    try {
      operator = await startDemoLedger({
        source: historyReadingSource(history),
        meterId: meterIdOf(SERIAL),
        days: 3,
        discrepancies: [{ day: today - 1, index: 40, importDeltaWh: 7n }],
        // The interval files land where the app reads the operator's hand-over from.
        outDir: join(dataDir, 'handovers'),
      });
    } finally {
      history.dispose();
    }
    const provider = new JsonRpcProvider(operator.url);
    await provider.send('hardhat_mine', ['0xc']);
    provider.destroy();
    app = await composedApp({ settingsOverrides: { rpcUrl: operator.url, contractAddress: operator.contract, meterId: SERIAL }, dataDir });
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await operator?.dispose();
  });

  it('refreshes: busy while it asks, then the connection and the days of the range with their status', async () => {
    const store = new LedgerStore(app.api);
    const refreshing = store.refresh();
    expect(store.activity.busy).toBe('refresh');
    expect(await refreshing).toBe(true);
    expect(store.activity.busy).toBeNull();
    expect(store.activity.error).toBeNull();
    expect(store.status).toMatchObject({ state: 'connected', mode: 'live', meterId: meterIdOf(SERIAL) });
    const byDate = new Map(store.days.map((d) => [d.date, d.status]));
    expect(byDate.get(formatDay(today - 2))).toBe('pending');
    expect(byDate.get(formatDay(today - 1))).toBe('differs');
    expect(app.api.calls.slice(-2)).toEqual(['ledger.status', 'ledger.days']);
  });

  it('verifies a day: the report on screen, and the day shown verified', async () => {
    const store = new LedgerStore(app.api);
    await store.refresh();
    expect(await store.verifyDay(formatDay(today - 2))).toBe(true);
    expect(store.report).toMatchObject({ date: formatDay(today - 2), ok: true });
    expect(store.days.find((d) => d.date === formatDay(today - 2))?.status).toBe('verified');
  });

  it('verifies the last year with progress from ledger.verifyProgress, and ends with a summary', async () => {
    const store = new LedgerStore(app.api);
    await store.refresh();
    const seen: number[] = [];
    const year = store.verifyYear();
    expect(store.job).toMatchObject({ done: 0, total: 365 });
    await until(() => {
      if (store.job && store.job.done > (seen.at(-1) ?? 0)) seen.push(store.job.done);
      return store.job === null;
    }, 120_000);
    await year;
    expect(seen.length).toBeGreaterThan(0);
    expect(store.summary).toMatchObject({ total: 365, cancelled: false, differs: 1 });
    expect(store.summary!.verified).toBeGreaterThanOrEqual(1);
    expect(store.activity.error).toBeNull();
  }, 150_000);
});

describe('LedgerStore with no ledger configured', () => {
  let app: ComposedApp;
  beforeAll(async () => {
    app = await composedApp();
  });
  afterAll(async () => app?.dispose());

  it('says so, asks for no days, and shows a verification as the typed error it is', async () => {
    const store = new LedgerStore(app.api);
    expect(await store.refresh()).toBe(true);
    expect(store.status?.state).toBe('not-configured');
    expect(app.api.calls).not.toContain('ledger.days');
    expect(await store.verifyDay(formatDay(today - 1))).toBe(false);
    expect(store.activity.error).toMatchObject({ code: 'LEDGER_NOT_CONFIGURED' });
    expect(store.report).toBeNull();
    expect(store.activity.busy).toBeNull();
  });
});
