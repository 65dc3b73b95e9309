import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { JsonRpcProvider, Wallet } from 'ethers';
import { build } from 'vite';
import { renderer } from '../../electron.config.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { appHandlers, runningApp } from '../../main/app-handlers.js';
import { SettingsStore } from '../../main/settings/settings-store.js';
import { EventBus } from '../../main/api/event-bus.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { walletSender } from '../../main/ledger/attest/transaction-sender.js';
import { keyPackSigner } from '../../main/ledger/dispute/pack-signer.js';
import { verifyDisputePack, verifyIntervalProof } from '../../main/ledger/dispute/verify-pack.js';
import { readFileSync } from 'node:fs';
import { ChainConnection } from '../../main/ledger/chain/chain-connection.js';
import { startDemoLedger, type DemoLedger } from '../../main/ledger/chain/demo-ledger.js';
import { createLedger, type Ledger } from '../../main/ledger/create-ledger.js';
import { dayOf, formatDay } from '../../main/ledger/day.js';
import { meterIdOf } from '../../main/ledger/chain/meter-id.js';
import { syntheticReadingSource } from '../../main/ledger/operator/reading-source.js';

// The Ledger page over the ledger room as the app wires it (createLedger) on a local Hardhat chain
// lent to its chain connection the way demo mode lends one (demo operator, one injected
// difference), in Chromium through the browser host.
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ timezoneId: 'UTC' });

const today = dayOf(Date.now() / 1000);
const differsDay = formatDay(today - 3);
const goodDay = formatDay(today - 2);
let rendererDir: string;
let demo: DemoLedger;
let provider: JsonRpcProvider;
let chain: ChainConnection;
let ledger: Ledger;
let host: BrowserHost;
let settings: SettingsStore;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rendererDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-renderer-'));
  await build({ ...renderer, logLevel: 'error', build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true } });
  const source = syntheticReadingSource(9);
  const meter = 'E0031234567890';
  demo = await startDemoLedger({ source, meterId: meterIdOf(meter), days: 10, discrepancies: [{ day: today - 3, index: 44, importDeltaWh: 120n }] });
  provider = new JsonRpcProvider(demo.url, demo.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const bus = new EventBus();
  // No endpoint in Settings: the local chain serves, as demo mode's does.
  chain = new ChainConnection({ configured: () => ({ rpcUrl: null, contractAddress: null }) });
  chain.serveLocal({ rpcUrl: demo.url, contract: demo.contract });
  ledger = createLedger({
    chain,
    meter,
    local: source,
    handovers: demo.operator,
    dataDir: mkdtempSync(join(tmpdir(), 'wattlet-ledger-data-')), // the pinned checkpoint's file; the demo operator hands the intervals over
    signer: walletSender(new Wallet(demo.householdKey, provider)),
    // The household's key without the approval surface (the wallet's own tests cover the approval).
    packSigner: keyPackSigner(new Wallet(demo.householdKey)),
    bus,
    logger: silentLogger,
  });
  // Settings too, so a test can switch the window's language the way the Settings page does.
  settings = await SettingsStore.open(join(mkdtempSync(join(tmpdir(), 'wattlet-ledger-settings-')), 'settings.json'));
  settings.onChange((s) => bus.emit('settings.changed', s));
  const info = runningApp({ version: 'test', host: 'browser', mode: 'demo', dataDir: rendererDir, startedAt: Date.now() });
  const dispatch = createDispatcher({ ...ledger.handlers, ...appHandlers({ settings, now: Date.now, info }) }, { onInternalError: (c, e) => console.error('ledger host', c, e) });
  host = await BrowserHost.start({ dispatch, bus, rendererDir, logger: silentLogger, port: 0, routes: [] });
});

test.afterAll(async () => {
  await host?.close();
  settings?.dispose();
  ledger?.dispose();
  await chain?.dispose();
  provider?.destroy();
  await demo?.dispose();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

async function openLedger(page: Page): Promise<void> {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="ledger"]').click();
  await expect(page.locator('main')).toHaveAttribute('data-page', 'ledger');
  await expect(page.getByTestId('ledger-status')).toHaveAttribute('data-state', 'connected');
}

test('shows the days with their status, verifies one step by step, and one interval', async ({ page }) => {
  await openLedger(page);
  const days = page.getByTestId('ledger-days');
  await expect(days.locator(`tr[data-date="${differsDay}"]`)).toHaveAttribute('data-status', 'differs');
  await expect(days.locator(`tr[data-date="${goodDay}"]`)).toHaveAttribute('data-status', 'pending');
  await expect(days.locator(`tr[data-date="${formatDay(today - 20)}"]`)).toHaveAttribute('data-status', 'missing');

  await days.locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-verify-day').click();
  const report = page.getByTestId('ledger-report');
  await expect(report).toHaveAttribute('data-ok', 'true');
  // The window re-derived the verdict itself from main's evidence and agrees; the day leads with one sentence.
  await expect(report).toHaveAttribute('data-window-ok', 'true');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'agrees');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-keccak', 'wasm');
  await expect(report.getByTestId('ledger-trust')).toHaveAttribute('data-kind', 'one-endpoint');
  await expect(report.getByTestId('ledger-sentence')).toHaveText(/^Your meter's \d+\.\d\d kWh in and \d+\.\d\d kWh out on \w+\u00a0\d+,\u00a0\d{4} match the grid operator's record on the ledger\.$/);
  // The technical steps are there, folded.
  await expect(report.getByTestId('ledger-technical')).not.toHaveAttribute('open');
  await expect(report.getByText('Trusted value')).toBeHidden();
  // Two Merkle levels: intervals → my meter-day root → the region-day root, then storage and header.
  await expect(report.locator('li[data-status="pass"]')).toHaveCount(6);
  await expect(report.locator('li[data-step="region"]')).toHaveAttribute('data-status', 'pass');
  const proofChain = report.getByTestId('ledger-proof-chain');
  await expect(proofChain).toHaveAttribute('data-design', 'region');
  await expect(proofChain).toContainText('interval leaf → my meter-day root → region-day root (8 meters) → contract storage (EIP-1186) → block header');
  await expect(days.locator(`tr[data-date="${goodDay}"]`)).toHaveAttribute('data-status', 'verified');

  await days.locator(`tr[data-date="${differsDay}"]`).getByTestId('ledger-verify-day').click();
  await expect(report).toHaveAttribute('data-ok', 'false');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'differs');
  await expect(report.getByTestId('ledger-window-own')).toHaveText('Differs from my meter');
  // 120 Wh more in the operator's 11:00–11:15 (UTC, the household's zone here) than my meter counted.
  await expect(report.getByTestId('ledger-sentence')).toHaveText(/differ by 0\.12 kWh between 11:00 and 11:15\.$/);
  await expect(report.getByTestId('ledger-sentence')).toHaveAttribute('data-tone', 'differs');
  await report.getByTestId('ledger-technical').locator('summary').click();
  const readings = report.locator('li[data-step="readings"]');
  await expect(readings).toHaveAttribute('data-status', 'fail');
  await expect(readings.locator('tr.diff')).toHaveCount(1);
  await expect(readings.locator('tr.diff')).toContainText('T11:00Z importWh');

  await report.getByTestId('ledger-interval-pick').selectOption('44');
  await page.getByTestId('ledger-verify-interval').click();
  await expect(report.locator('h2')).toContainText('11:00–11:15');
  await expect(report.locator('li[data-step="leaves"]')).toHaveAttribute('data-status', 'pass');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'differs');
  await expect(report.getByTestId('ledger-sentence')).toHaveText(/differ by 0\.12 kWh between 11:00 and 11:15\.$/);
});

test('a day that differs offers its signed dispute pack first; a quarter hour its own proof; both verify offline', async ({ page }) => {
  await openLedger(page);
  await page.getByTestId('ledger-days').locator(`tr[data-date="${differsDay}"]`).getByTestId('ledger-verify-day').click();
  const report = page.getByTestId('ledger-report');
  await expect(report.getByTestId('ledger-sentence')).toHaveAttribute('data-tone', 'differs');
  const pack = report.getByTestId('ledger-dispute-pack');
  // Prominent on a day that differs: the page's primary button, not a secondary one.
  await expect(pack).not.toHaveClass(/secondary/);
  const [download] = await Promise.all([page.waitForEvent('download'), pack.click()]);
  expect(download.suggestedFilename()).toContain(differsDay);
  const packed = await verifyDisputePack(JSON.parse(readFileSync((await download.path())!, 'utf8')));
  expect(packed).toMatchObject({ kind: 'dispute-pack', ok: true, verdict: 'differs', signer: new Wallet(demo.householdKey).address });
  await expect(report.getByTestId('ledger-exported')).toHaveAttribute('data-how', 'downloaded');

  await report.getByTestId('ledger-interval-pick').selectOption('44');
  const [one] = await Promise.all([page.waitForEvent('download'), report.getByTestId('ledger-interval-proof').click()]);
  const text = readFileSync((await one.path())!, 'utf8');
  expect(await verifyIntervalProof(JSON.parse(text))).toMatchObject({ kind: 'interval-proof', ok: true });
  // One quarter hour disclosed: one salt, not the day's 96.
  expect(JSON.parse(text)).toMatchObject({ format: 'wattlet.interval-proof/1' });
  await expect(report.getByTestId('ledger-exported')).toHaveAttribute('data-kind', 'interval');

  // On a day that agrees the pack is offered too, as a secondary action.
  await page.getByTestId('ledger-days').locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-verify-day').click();
  await expect(report.getByTestId('ledger-sentence')).toHaveAttribute('data-tone', 'ok');
  await expect(report.getByTestId('ledger-dispute-pack')).toHaveClass(/secondary/);
});

test('a day not anchored yet reads as such, never as a failure, and no placeholder reaches the screen', async ({ page }) => {
  await openLedger(page);
  const row = page.getByTestId('ledger-days').locator(`tr[data-date="${formatDay(today - 20)}"]`);
  await expect(row).toContainText('Not on the ledger yet');
  await row.getByTestId('ledger-verify-day').click();
  const report = page.getByTestId('ledger-report');
  // The operator's usual time comes from its newest anchors' blocks (here all written at the start).
  await expect(report.getByTestId('ledger-sentence')).toHaveText(/ is not on the ledger yet \(usually anchored by [^)]*\d\d:\d\d\)\.$/);
  await expect(report.getByTestId('ledger-sentence')).toHaveAttribute('data-tone', 'wait');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'not-anchored');
  // Nothing to dispute or disclose on a day that is not on the ledger.
  await expect(report.getByTestId('ledger-dispute-pack')).toHaveCount(0);
  await report.getByTestId('ledger-technical').locator('summary').click();
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\{\w+\}/);
  expect(text).not.toMatch(/\bblock B\b/i);
  expect(text).not.toContain('Failed');
  // Dates keep together: the date cells do not wrap.
  expect(await row.locator('.date').evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('nowrap');
});

test('with a pinned checkpoint, the verdict says the block rests on it (re-linked in the window)', async ({ page }) => {
  await openLedger(page);
  // A second source: the demo chain's own head, pinned the way Settings pins one from a second endpoint.
  await page.evaluate((url) => window.wattlet!.invoke('ledger.pinCheckpoint', { kind: 'rpc', url }), demo.url);
  try {
    await page.getByTestId('ledger-days').locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-verify-day').click();
    const report = page.getByTestId('ledger-report');
    await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'agrees');
    const trust = report.getByTestId('ledger-trust');
    await expect(trust).toHaveAttribute('data-kind', 'checkpoint');
    await expect(trust).toContainText('The block’s hash rests on the pinned checkpoint:');
    await expect(trust).toContainText(/\(block \d+, pinned \d{4}-\d\d-\d\d\)/);
  } finally {
    await page.evaluate(() => window.wattlet!.invoke('ledger.clearCheckpoint', {}));
  }
});

test('reads in zh-CN too', async ({ page }) => {
  await openLedger(page);
  await page.evaluate(() => window.wattlet!.invoke('settings.update', { language: 'zh-CN' }));
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('ledger-days').locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-verify-day').click();
  const report = page.getByTestId('ledger-report');
  await expect(report.getByTestId('ledger-sentence')).toContainText('千瓦时与电网运营方在账本上的记录一致');
  await expect(report.getByTestId('ledger-window')).toContainText('本窗口亲自重新核对了每一项证明');
  await page.evaluate(() => window.wattlet!.invoke('settings.update', { language: 'en' }));
});

test('verifies the last year with progress and a summary, then attests the differing day', async ({ page }) => {
  await openLedger(page);
  await page.getByTestId('ledger-verify-year').click();
  await expect(page.getByTestId('ledger-summary')).toContainText('9 verified, 1 differ, 355 missing, 0 failed', { timeout: 120_000 });
  // Then the window re-derived each of the 365 days itself and agrees with main on every one.
  const own = page.getByTestId('ledger-window-range');
  await expect(own).toHaveAttribute('data-finished', 'true', { timeout: 120_000 });
  await expect(own).toHaveAttribute('data-agree', '365');
  await expect(own).toHaveAttribute('data-disagree', '0');
  test.info().annotations.push({ type: 'window year (10 anchored days, 355 proven absent)', description: `verify ${await own.getAttribute('data-verify-ms')} ms, fetch ${await own.getAttribute('data-fetch-ms')} ms` });

  await page.getByTestId('ledger-days').locator(`tr[data-date="${differsDay}"]`).getByTestId('ledger-attest').click();
  await expect(page.getByRole('status').filter({ hasText: 'Attested in transaction' })).toBeVisible();
  await expect(page.getByTestId('ledger-days').locator(`tr[data-date="${differsDay}"]`)).toContainText('Attested by me');
});
