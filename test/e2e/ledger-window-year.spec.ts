import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'vite';
import { renderer } from '../../electron.config.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { EventBus } from '../../main/api/event-bus.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { ChainConnection } from '../../main/ledger/chain/chain-connection.js';
import { startDemoLedger, type DemoLedger } from '../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../main/ledger/chain/meter-id.js';
import { createLedger, type Ledger } from '../../main/ledger/create-ledger.js';
import { syntheticReadingSource } from '../../main/ledger/operator/reading-source.js';

// A whole year in the window: 365 days anchored (the demo region of 8 meters, one anchor a day),
// verified by main, then each re-derived by the window itself from main's evidence. Run twice in
// one go, side by side: as shipped (the WebAssembly keccak, CSP 'wasm-unsafe-eval') and with that
// source taken out of the page's own policy (a copy of the build whose index.html meta lacks it; both
// policies apply, so WebAssembly cannot compile and the window falls back to the pure-JS keccak). The figures
// are reported (annotations and the log), never asserted: the machine is shared.
test.describe.configure({ mode: 'serial', timeout: 600_000 });
test.use({ timezoneId: 'UTC' });

let rendererDir: string;
let nobleDir: string;
let demo: DemoLedger;
let chain: ChainConnection;
let ledger: Ledger;
// One host a page: a launch's token opens one window.
let host: BrowserHost;
let hostNoble: BrowserHost;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  rendererDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-year-'));
  await build({ ...renderer, logLevel: 'error', build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true } });
  const source = syntheticReadingSource(3);
  const meter = 'E0037000000365';
  demo = await startDemoLedger({ source, meterId: meterIdOf(meter), days: 365 });
  const bus = new EventBus();
  chain = new ChainConnection({ configured: () => ({ rpcUrl: null, contractAddress: null }) });
  chain.serveLocal({ rpcUrl: demo.url, contract: demo.contract });
  ledger = createLedger({ chain, meter, local: source, handovers: demo.operator, dataDir: mkdtempSync(join(tmpdir(), 'wattlet-ledger-year-data-')), bus, logger: silentLogger });
  nobleDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-year-noble-'));
  cpSync(rendererDir, nobleDir, { recursive: true });
  const index = join(nobleDir, 'index.html');
  const html = readFileSync(index, 'utf8');
  if (!html.includes(" 'wasm-unsafe-eval'")) throw new Error('the build has no wasm-unsafe-eval to take out');
  writeFileSync(index, html.replace(" 'wasm-unsafe-eval'", ''));
  const dispatch = createDispatcher(ledger.handlers);
  host = await BrowserHost.start({ dispatch, bus, rendererDir, logger: silentLogger, port: 0, routes: [] });
  hostNoble = await BrowserHost.start({ dispatch, bus, rendererDir: nobleDir, logger: silentLogger, port: 0, routes: [] });
});

test.afterAll(async () => {
  await host?.close();
  await hostNoble?.close();
  ledger?.dispose();
  await chain?.dispose();
  await demo?.dispose();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  if (nobleDir) rmSync(nobleDir, { recursive: true, force: true });
});

async function year(page: Page, on: BrowserHost, label: string): Promise<{ verifyMs: number; fetchMs: number; keccak: string }> {
  await page.goto(on.launchUrl);
  await page.locator('nav a[data-page="ledger"]').click();
  await expect(page.getByTestId('ledger-status')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('ledger-verify-year').click();
  await expect(page.getByTestId('ledger-summary')).toContainText('365 verified, 0 differ, 0 missing, 0 failed', { timeout: 400_000 });
  const own = page.getByTestId('ledger-window-range');
  await expect(own).toHaveAttribute('data-finished', 'true', { timeout: 200_000 });
  await expect(own).toHaveAttribute('data-agree', '365');
  await expect(own).toHaveAttribute('data-disagree', '0');
  const text = (await own.innerText()).trim();
  const verifyMs = Number(await own.getAttribute('data-verify-ms'));
  const fetchMs = Number(await own.getAttribute('data-fetch-ms'));
  const keccak = /\((\w+) keccak\)/.exec(text)?.[1] ?? '?';
  test.info().annotations.push({ type: `window year, ${label}`, description: `365 days: ${verifyMs} ms verifying in the window (${keccak}), ${fetchMs} ms waiting for the evidence` });
  console.log(`window year, ${label}: 365 days verified in the window in ${verifyMs} ms (${keccak} keccak); ${fetchMs} ms more waiting for the evidence`);
  return { verifyMs, fetchMs, keccak };
}

test('a year of anchored days, each re-derived by the window: WebAssembly keccak and pure-JS side by side', async ({ browser }) => {
  const wasmPage = await browser.newPage();
  const wasm = await year(wasmPage, host, 'as shipped');
  await wasmPage.close();
  const noblePage = await browser.newPage();
  const noble = await year(noblePage, hostNoble, "without 'wasm-unsafe-eval'");
  await noblePage.close();
  expect(wasm.keccak).toBe('wasm');
  expect(noble.keccak).toBe('noble');
  const ratio = noble.verifyMs / wasm.verifyMs;
  console.log(`window year: pure-JS / WebAssembly = ${ratio.toFixed(2)}`);
  test.info().annotations.push({ type: 'window year ratio', description: `pure-JS / WebAssembly = ${ratio.toFixed(2)}` });
});
