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
import { LedgerExport } from './ledger-export.svelte.js';
import { verifyInWindow, type Expected } from './window-verifier.js';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { verifyIntervalProof } from '../../../main/ledger/dispute/verify-pack.js';

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
    expect(app.api.calls.slice(-3)).toEqual(['ledger.status', 'ledger.days', 'history.overview']);
    expect(store.timeZone).toBe('UTC'); // the history's zone, the household's
    // The operator anchored its three days at once when it started: the median day (today − 2)
    // ended at the start of yesterday, so it usually anchors about that long after a day ends.
    const expected = Date.now() / 1000 - (today - 1) * 86_400;
    expect(store.usualAnchorDelay).not.toBeNull();
    expect(Math.abs(store.usualAnchorDelay! - expected)).toBeLessThan(300);
  });

  it('verifies a day: the report on screen, and the day shown verified', async () => {
    const store = new LedgerStore(app.api);
    await store.refresh();
    expect(await store.verifyDay(formatDay(today - 2))).toBe(true);
    expect(store.report).toMatchObject({ date: formatDay(today - 2), ok: true });
    expect(store.days.find((d) => d.date === formatDay(today - 2))?.status).toBe('verified');
    // The window's own verdict, re-derived from the evidence main used, agrees step by step.
    expect(app.api.calls).toContain('ledger.evidence');
    expect(store.verdict).toMatchObject({ date: formatDay(today - 2), interval: null, ok: true, findings: [] });
    expect(store.verdict!.report!.steps.map((s) => [s.id, s.status])).toEqual(store.report!.steps.map((s) => [s.id, s.status]));
    expect(store.verdict!.trust).toMatchObject({ kind: 'one-endpoint', hosts: [new URL(operator.url).host] });
  });

  it('verifies a differing day in the window too: not verified, and no disagreement with main', async () => {
    const store = new LedgerStore(app.api);
    await store.refresh();
    expect(await store.verifyDay(formatDay(today - 1))).toBe(true);
    expect(store.report?.ok).toBe(false);
    expect(store.verdict).toMatchObject({ ok: false, findings: [] });
    expect(store.verdict!.report!.steps.find((s) => s.id === 'readings')).toMatchObject({ status: 'fail', code: 'PROOF_READINGS_DIFFER' });
    // One interval in the window: the evidence asked for names the interval.
    expect(await store.verifyInterval(formatDay(today - 1), 40)).toBe(true);
    expect(store.verdict).toMatchObject({ interval: 40, findings: [] });
    expect(store.verdict!.report!.interval).toBe(40);
  });

  it("the window takes nothing on main's word: another day, meter or interval, a file it cannot read, an unbacked trust claim, garbage", async () => {
    const date = formatDay(today - 2);
    const { days } = await app.api.invoke('ledger.evidence', { dates: [date] });
    const h = days[0]!;
    const expected: Expected = { meterId: meterIdOf(SERIAL), date, interval: null };
    expect(await verifyInWindow(h, expected)).toMatchObject({ ok: true, findings: [] });
    const refusedWith = async (raw: unknown, want: Expected = expected) => (await verifyInWindow(raw, want)).findings.map((f) => [f.step, f.code]);
    expect(await refusedWith(h, { ...expected, date: formatDay(today - 3) })).toEqual([['evidence', 'LEDGER_WINDOW_WRONG_SUBJECT']]);
    expect(await refusedWith(h, { ...expected, meterId: '0x' + '44'.repeat(32) })).toEqual([['evidence', 'LEDGER_WINDOW_WRONG_SUBJECT']]);
    expect(await refusedWith(h, { ...expected, interval: 3 })).toEqual([['evidence', 'LEDGER_WINDOW_WRONG_SUBJECT']]);
    expect(await refusedWith({ ...h, handover: { format: 'something else' } })).toContainEqual(['leaves', 'LEDGER_INTERVALS_UNREADABLE']);
    expect(await refusedWith({ ...h, trust: { kind: 'two-endpoints', hosts: ['a', 'b'], text: null } })).toEqual([['finality', 'PROOF_ENDPOINTS_DISAGREE']]);
    expect(await refusedWith({ ...h, report: { ...h.report, ok: false, steps: h.report.steps.map((s) => (s.id === 'header' ? { ...s, status: 'fail' } : s)) } })).toEqual([['header', null]]);
    expect(await refusedWith('garbage')).toEqual([['evidence', 'LEDGER_RPC_INVALID_ANSWER']]);
    // Evidence shaped to trip the verifier deep inside: refused, never thrown.
    const deep = [
      'garbage',
      { ...h, handover: 7 },
      { ...h, regionPath: { format: 'wattlet.region-path/1' } },
      { ...h, evidence: { ...h.evidence, chain: 'x' } },
      { ...h, evidence: { ...h.evidence, chain: { checkpoint: 5, headers: [null] } } },
      { ...h, evidence: { ...h.evidence, block: { ...(h.evidence.block as object), number: 'x' } } },
      { ...h, evidence: { ...h.evidence, proof: { ...(h.evidence.proof as object), storageProof: [{ key: 1 }] } } },
    ];
    for (const raw of deep) expect((await verifyInWindow(raw, expected)).ok, JSON.stringify(raw).slice(0, 60)).toBe(false);
  });

  it('exports one quarter hour the way History exports: a download in the browser host, the save dialog in the desktop app', async () => {
    const downloads: Array<{ name: string; text: string }> = [];
    const browser = new LedgerExport(app.api, (name, text) => downloads.push({ name, text }));
    browser.start();
    await until(() => browser.host !== null);
    expect(browser.host).toBe('browser');
    expect(await browser.intervalProof(formatDay(today - 1), 40)).toBe(true);
    expect(downloads).toHaveLength(1);
    expect(browser.exported).toMatchObject({ kind: 'interval', how: 'downloaded', file: downloads[0]!.name });
    expect(await verifyIntervalProof(JSON.parse(downloads[0]!.text))).toMatchObject({ ok: true });

    const chosen = join(mkdtempSync(join(tmpdir(), 'wattlet-ledger-export-')), 'quarter.json');
    // A desktop app of its own (its data folder goes when it is disposed), with the operator's files.
    const desktopDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-desktop-'));
    cpSync(join(app.dataDir, 'handovers'), join(desktopDir, 'handovers'), { recursive: true });
    const desktop = await composedApp({ settingsOverrides: { rpcUrl: operator.url, contractAddress: operator.contract, meterId: SERIAL }, dataDir: desktopDir, host: 'electron', chooseSavePath: async () => chosen });
    try {
      const saving = new LedgerExport(desktop.api, () => {
        throw new Error('the desktop app does not download');
      });
      saving.start();
      await until(() => saving.host !== null);
      expect(await saving.intervalProof(formatDay(today - 1), 40)).toBe(true);
      expect(saving.exported).toMatchObject({ kind: 'interval', how: 'saved', file: chosen });
      expect(await verifyIntervalProof(JSON.parse(readFileSync(chosen, 'utf8')))).toMatchObject({ ok: true });
      // A dispute pack needs the wallet's key: with none, the typed error, nothing saved.
      expect(await saving.disputePack(formatDay(today - 1))).toBe(false);
      expect(saving.activity.error).toHaveProperty('code');
    } finally {
      await desktop.dispose();
      rmSync(chosen, { force: true });
    }
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
    // Then the window re-derived every day of the year itself, agreeing with main on each.
    expect(store.windowRange).toMatchObject({ total: 365, done: 365, agree: 365, disagree: [], finished: true });
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
