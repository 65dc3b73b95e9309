import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'vite';
import { axeViolations, blocking } from './support/axe.js';
import { renderer } from '../../electron.config.js';
import type { HandedEvidence } from '../../main/api/ledger.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { EventBus } from '../../main/api/event-bus.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { ChainConnection } from '../../main/ledger/chain/chain-connection.js';
import { startDemoLedger, type DemoLedger } from '../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../main/ledger/chain/meter-id.js';
import { dayOf, formatDay } from '../../main/ledger/day.js';
import { ledgerHandlers } from '../../main/ledger/handlers.js';
import { LedgerService } from '../../main/ledger/ledger-service.js';
import { syntheticReadingSource } from '../../main/ledger/operator/reading-source.js';

// A lying main process: it verifies the true evidence (and reports "verified"), then hands the
// window altered bytes. The lie is LedgerService's test-only `tamperEvidence` port, passed here
// and nowhere in the app (createLedger never passes it; no channel or setting reaches it). The
// window must refuse, naming the step where its own check parts from main's.
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ timezoneId: 'UTC' });

type Lie = 'none' | 'account-node' | 'interval-node' | 'leaf-value' | 'header-field';

const today = dayOf(Date.now() / 1000);
const goodDay = formatDay(today - 2);
let lie: Lie = 'none';
/** Only this day is lied about (null: every day). */
let lieAbout: string | null = null;
let rendererDir: string;
let demo: DemoLedger;
let chain: ChainConnection;
let service: LedgerService;
let host: BrowserHost;

/** One hex digit changed: a flipped byte's worth of a 0x… string (the last digit, so the length stays). */
function flip(hex: string): string {
  const last = hex.at(-1)!;
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}

function tamper(h: HandedEvidence): HandedEvidence {
  if (lie === 'none' || (lieAbout !== null && h.date !== lieAbout)) return h;
  const e = structuredClone(h);
  if (lie === 'account-node') {
    // A byte of the EIP-1186 account proof's last node (the contract's account leaf).
    const proof = e.evidence.proof as { accountProof: string[] };
    proof.accountProof[proof.accountProof.length - 1] = flip(proof.accountProof.at(-1)!);
  } else if (lie === 'interval-node') {
    // A byte of one interval's Merkle proof node.
    const file = e.handover as { intervals: Array<{ proof: string[] }> };
    file.intervals[10]!.proof[0] = flip(file.intervals[10]!.proof[0]!);
  } else if (lie === 'leaf-value') {
    // A leaf with another value: 1 Wh more in at 05:00, in the operator's file and my meter's record alike.
    const file = e.handover as { intervals: Array<{ importWh: string }> };
    file.intervals[20]!.importWh = String(BigInt(file.intervals[20]!.importWh) + 1n);
    e.local![20]!.importWh = file.intervals[20]!.importWh;
  } else {
    // A header field: the state root the proofs are checked against.
    const block = e.evidence.block as { stateRoot: string };
    block.stateRoot = flip(block.stateRoot);
  }
  return e;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rendererDir = mkdtempSync(join(tmpdir(), 'wattlet-ledger-tamper-'));
  await build({ ...renderer, logLevel: 'error', build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true } });
  const source = syntheticReadingSource(11);
  const meterId = meterIdOf('E0039876543210');
  demo = await startDemoLedger({ source, meterId, days: 5 });
  const bus = new EventBus();
  chain = new ChainConnection({ configured: () => ({ rpcUrl: null, contractAddress: null }) });
  chain.serveLocal({ rpcUrl: demo.url, contract: demo.contract });
  service = new LedgerService({
    mode: 'demo',
    endpoint: () => chain.endpoint(),
    meterId,
    local: source,
    handovers: demo.operator,
    emit: (event, payload) => bus.emit(event, payload),
    tamperEvidence: tamper,
  });
  const dispatch = createDispatcher(ledgerHandlers(service), { onInternalError: (c, e) => console.error('tamper host', c, e) });
  host = await BrowserHost.start({ dispatch, bus, rendererDir, logger: silentLogger, port: 0, routes: [] });
});

test.afterAll(async () => {
  await host?.close();
  service?.dispose();
  await chain?.dispose();
  await demo?.dispose();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

async function verifyGoodDay(page: Page): Promise<void> {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="ledger"]').click();
  await expect(page.getByTestId('ledger-status')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('ledger-days').locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-verify-day').click();
}

test('told the truth, the window agrees with main', async ({ page }) => {
  lie = 'none';
  await verifyGoodDay(page);
  const report = page.getByTestId('ledger-report');
  await expect(report).toHaveAttribute('data-ok', 'true');
  await expect(report.getByTestId('ledger-window')).toHaveAttribute('data-verdict', 'agrees');
  await expect(report.getByTestId('ledger-finding')).toHaveCount(0);
});

const cases: Array<{ lie: Lie; what: string; step: string; code: string; interval?: number }> = [
  { lie: 'account-node', what: 'a flipped byte in an EIP-1186 proof node', step: 'anchor', code: 'PROOF_ACCOUNT_MISMATCH' },
  // A whole day is rebuilt from all its leaves (the per-interval proofs are not needed); one
  // interval is proven by its path alone, so that is where a flipped path node must be caught.
  { lie: 'interval-node', what: "a flipped byte in the Merkle path of the one interval verified", step: 'leaves', code: 'PROOF_LEAF_NOT_UNDER_ROOT', interval: 10 },
  { lie: 'leaf-value', what: 'a leaf with another value (and my record made to match it)', step: 'leaves', code: 'PROOF_LEAF_NOT_UNDER_ROOT' },
  { lie: 'header-field', what: "a flipped byte in the header's state root", step: 'header', code: 'PROOF_HEADER_HASH' },
];

for (const c of cases) {
  test(`main says "verified" but hands over ${c.what}: the window refuses, naming the step`, async ({ page }) => {
    lie = c.lie;
    lieAbout = null;
    await verifyGoodDay(page);
    const report = page.getByTestId('ledger-report');
    if (c.interval !== undefined) {
      await expect(report.getByTestId('ledger-window')).toBeVisible();
      await report.getByTestId('ledger-interval-pick').selectOption(String(c.interval));
      await report.getByTestId('ledger-verify-interval').click();
      await expect(report.locator('h2')).toContainText('02:30–02:45');
    }
    // Main's own report (on the true evidence) says verified…
    await expect(report).toHaveAttribute('data-ok', 'true');
    await expect(report.getByTestId('ledger-window-main')).toHaveText('verified');
    // …the window re-derived it from what it was handed and refuses.
    await expect(report).toHaveAttribute('data-window-ok', 'false');
    const verdict = report.getByTestId('ledger-window');
    await expect(verdict).toHaveAttribute('data-verdict', 'refused');
    await expect(verdict.getByRole('alert')).toHaveText('This window refuses what the app reported.');
    await expect(report.getByTestId('ledger-window-own')).toHaveText('not verified');
    const finding = report.locator(`[data-testid="ledger-finding"][data-step="${c.step}"]`);
    await expect(finding).toHaveAttribute('data-code', c.code);
    await expect(finding).toContainText('the app reported passed; this window found failed');
    // The plain sentence is the window's, not main's: not proven.
    await expect(report.getByTestId('ledger-sentence')).toHaveAttribute('data-tone', 'bad');
    await expect(report.getByTestId('ledger-sentence')).toContainText('could not be proven on the ledger');
    if (c.lie === 'account-node') {
      // The refusal and the steps under it, opened, are as accessible as the rest of the page.
      await report.getByTestId('ledger-technical').locator('summary').click();
      expect(blocking(await axeViolations(page))).toEqual([]);
    }
  });
}

test("a year: the window's own pass names the day main lied about", async ({ page }) => {
  lie = 'account-node';
  lieAbout = goodDay;
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="ledger"]').click();
  await page.getByTestId('ledger-verify-year').click();
  const own = page.getByTestId('ledger-window-range');
  await expect(own).toHaveAttribute('data-finished', 'true', { timeout: 150_000 });
  await expect(own).toHaveAttribute('data-total', '365');
  await expect(own).toHaveAttribute('data-disagree', '1');
  await expect(own).toHaveAttribute('data-agree', '364');
  await expect(page.getByTestId('ledger-window-range-disagree')).toContainText(goodDay);
  // The day list marks it, and only it.
  await expect(page.getByTestId('ledger-day-refused')).toHaveCount(1);
  await expect(page.getByTestId('ledger-days').locator(`tr[data-date="${goodDay}"]`).getByTestId('ledger-day-refused')).toBeVisible();
});
