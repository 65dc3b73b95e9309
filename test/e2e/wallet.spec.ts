import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, TypedDataEncoder, id, verifyMessage, verifyTypedData } from 'ethers';
import { build } from 'vite';
import { renderer } from '../../electron.config.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { EventBus } from '../../main/api/event-bus.js';
import { ApprovalRoute } from '../../main/host/approval-route.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { OFFER_TYPES } from '../../main/market/offer.js';
import { createWallet, type Wallet } from '../../main/wallet/index.js';
import { HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from '../integration/wallet/support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from '../integration/wallet/support/private-keyring.js';
import { allFileText } from '../integration/wallet/support/wallet-harness.js';
import { startHost } from './support/host-process.js';

// The Wallet page and the approval page in Chromium, over the browser host with the real wallet
// service: keys in a private gnome-keyring, balances from a local Hardhat chain. The host hands
// each approval address out of band (here to the test; the app writes it to a 0600 file); the
// person opens it in a second page. Test-only composition of the parts the app's root wires.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const account = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/3");
const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

let keyring: PrivateKeyring;
let chain: HardhatNode;
let rendererDir: string;
let dataDir: string;
let provider: JsonRpcProvider;
let wallet: Wallet;
let approvals: ApprovalRoute;
let host: BrowserHost;
const hostOutput: string[] = [];
/** The household's language as Settings holds it, read by the wallet when a prompt is shown (null: none set). */
let householdLanguage: 'en' | 'zh-CN' | null = null;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Before the first keychain call of this process: libsecret binds to the first bus it sees.
  keyring = await startPrivateKeyring({ unlocked: true });
  chain = await startHardhatNode();
  rendererDir = mkdtempSync(join(tmpdir(), 'wattlet-wallet-renderer-'));
  dataDir = mkdtempSync(join(tmpdir(), 'wattlet-wallet-e2e-'));
  // A private renderer build: the shared out/ belongs to `npm run build`.
  await build({ ...renderer, build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true } });
  provider = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1 });
  const bus = new EventBus();
  let origin: string | null = null;
  approvals = new ApprovalRoute({
    rendererDir,
    origin: () => origin,
    deliver: (url) => hostOutput.push(`Approval needed: ${url}`),
  });
  // The wallet room as the app builds it (its own factory), on this test's chain and keyring;
  // the main window reaches it only through its handlers, as in the browser host.
  wallet = createWallet({
    dataDir,
    root: process.cwd(),
    chain: { provider: () => provider, address: () => LEDGER },
    surface: approvals.surface,
    bus,
    autoLockSeconds: () => 600,
    household: () => ({ timeZone: 'Europe/Amsterdam', currency: 'EUR' }),
    language: () => householdLanguage,
    logger: { ...silentLogger, info: (m, f) => void hostOutput.push(`${m} ${JSON.stringify(f ?? {})}`) },
  });
  host = await BrowserHost.start({
    dispatch: createDispatcher(wallet.handlers),
    bus,
    rendererDir,
    logger: silentLogger,
    port: 0,
    routes: [approvals.route],
  });
  origin = host.url;
});

test.afterAll(async () => {
  await host?.close();
  approvals?.dispose();
  wallet?.dispose();
  provider?.destroy();
  chain?.stop();
  keyring?.stop();
  for (const d of [rendererDir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
});

/** Everything the host sends the main window over its WebSocket. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  return frames;
}

async function nextApprovalUrl(): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const i2 = hostOutput.findIndex((l) => l.startsWith('Approval needed: '));
    if (i2 >= 0) return hostOutput.splice(i2, 1)[0]!.slice('Approval needed: '.length);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('no approval address was delivered');
}

/**
 * Before the approval page loads: records, inside the page, the Approve button's state in the same
 * DOM mutation that first shows the request (no test latency can hide an enabled button).
 */
async function watchApprove(approvalPage: Page): Promise<void> {
  await approvalPage.addInitScript(() => {
    const w = window as unknown as { approveWhenShown?: { disabled: boolean; hint: string } };
    new MutationObserver((_m, observer) => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="approval-approve"]');
      if (!document.querySelector('h2[data-kind]') || !button) return;
      w.approveWhenShown = { disabled: button.disabled, hint: document.getElementById('approval-arming')?.textContent ?? '' };
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
}

/** Approve was disabled, with its spoken hint, when the request appeared; it arms after the delay. */
async function approveArmsOnlyAfterDelay(approvalPage: Page): Promise<void> {
  await expect(approvalPage.locator('h2[data-kind]')).toBeVisible();
  const whenShown = await approvalPage.evaluate(() => (window as unknown as { approveWhenShown?: unknown }).approveWhenShown);
  expect(whenShown).toMatchObject({ disabled: true, hint: expect.stringMatching(/a moment|片刻/) });
  await expect(approvalPage.getByTestId('approval-approve')).toHaveAttribute('aria-describedby', 'approval-arming');
  await expect(approvalPage.getByTestId('approval-approve')).toBeEnabled();
}

async function openWallet(page: Page): Promise<void> {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="wallet"]').click();
  await expect(page.locator('main')).toHaveAttribute('data-page', 'wallet');
}

test('create shows the words once; a wrong try names nothing; the words come back only on the approval page, then new positions confirm', async ({ page, context }) => {
  const frames = recordFrames(page);
  await openWallet(page);
  await page.getByTestId('create-label').fill('Home');
  await page.getByTestId('wallet-create').click();
  // The words arrive once the keychain has stored the new key: wait for them, then read them.
  await expect(page.getByTestId('new-words').locator('code[data-word-index]')).toHaveCount(12);
  const words = await page.getByTestId('new-words').locator('code[data-word-index]').allTextContents();
  expect(words).toHaveLength(12);
  const phrase = words.join(' ');
  await page.getByTestId('words-written').click();
  await expect(page.getByTestId('new-words')).toHaveCount(0);
  expect(await page.content()).not.toContain(phrase);

  // A wrong try: pass or fail only, no position named; the tries left are shown.
  const form = page.getByTestId('backup-confirm');
  const first = await form.locator('input[data-position]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-position'))));
  for (const [i, position] of first.entries()) {
    await form.locator(`input[data-position="${position}"]`).fill(i === 0 ? (words[position - 1] === 'zoo' ? 'abandon' : 'zoo') : words[position - 1]!);
  }
  await page.getByTestId('backup-confirm-submit').click();
  const refusal = page.locator('[role="alert"][data-error-code="WALLET_BACKUP_MISMATCH"]');
  await expect(refusal).toContainText('do not match');
  await expect(refusal).toContainText('2');
  await expect(page.getByTestId('backup-tries')).toContainText('Tries left: 2');
  // No position is named: the refusal's words with the tries left taken out hold no number.
  const named = ((await refusal.textContent()) ?? '').replace(/Tries left: \d+/, '');
  expect(named).not.toMatch(/\d/);
  expect(first.length).toBeGreaterThan(0);

  // Lost the paper: the words are shown again, on the approval page only.
  await page.getByTestId('reveal-words').click();
  await expect(page.getByTestId('reveal-waiting')).toBeVisible();
  const approvalPage = await context.newPage();
  await approvalPage.goto(await nextApprovalUrl());
  await expect(approvalPage.locator('h2[data-kind="revealWords"]')).toBeVisible();
  await expect(approvalPage.getByTestId('revealed-words').locator('code[data-word-index]')).toHaveText(words);
  await expect(approvalPage.getByTestId('approval-reject')).toBeFocused();
  await expect(approvalPage.getByTestId('approval-approve')).toHaveText('I have written them down');
  await approvalPage.getByTestId('approval-approve').click();
  await expect(approvalPage.getByRole('status')).toContainText('Done');
  // Decided: the words left the approval page too.
  await expect(approvalPage.getByTestId('revealed-words')).toHaveCount(0);
  expect(await approvalPage.content()).not.toContain(words[0]! + '</code>');

  // The window learnt only that they were shown: new positions, the tries back.
  await expect(page.getByRole('status').filter({ hasText: 'New positions were chosen' })).toBeVisible();
  await expect(page.getByTestId('backup-tries')).toContainText('Tries left: 3');
  for (const input of await form.locator('input[data-position]').all()) {
    const position = Number(await input.getAttribute('data-position'));
    await input.fill(words[position - 1]!);
  }
  await page.getByTestId('backup-confirm-submit').click();
  await expect(page.getByRole('status').filter({ hasText: 'Backup confirmed.' })).toBeVisible();
  await expect(page.getByTestId('confirm-backup')).toHaveCount(0);
  await expect(page.getByTestId('backup-confirm')).toHaveCount(0);
  expect(await page.content()).not.toContain(phrase);
  expect(allFileText(dataDir)).not.toContain(phrase);
  expect(hostOutput.join('\n')).not.toContain(phrase);
  // Over the socket the words travelled once: in the create answer.
  expect(frames.filter((f) => f.includes(phrase))).toHaveLength(1);
  for (let i = 1; i < words.length; i++) {
    expect(frames.filter((f) => f.includes(`${words[i - 1]} ${words[i]}`)).length).toBeLessThanOrEqual(1);
  }
  await expect(page.getByTestId('wallet-state')).toHaveText('Locked');
});

test('an imported key never returns to the window; a window script gets a signature only via the approval page', async ({ page, context }) => {
  const frames = recordFrames(page);
  await openWallet(page);
  await page.getByTestId('import-kind-key').check();
  await page.getByTestId('import-secret').fill(account.privateKey);
  await page.getByTestId('wallet-import').click();
  await expect(page.locator(`tr[data-address="${account.address}"]`)).toBeVisible();
  await expect(page.getByTestId('import-secret')).toHaveValue('');
  await page.getByTestId('wallet-unlock').click();
  await expect(page.getByTestId('wallet-state')).toHaveText('Unlocked');
  await expect(page.locator(`tr[data-address="${account.address}"] [data-testid="account-balance"]`)).toHaveText('10000');

  // A script in the main window asks for a signature: it waits, and the window only hears a summary.
  const request = page.evaluate(
    (from) => window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message: 'Meter 7 belongs to me' }),
    account.address,
  );
  const url = await nextApprovalUrl();
  await expect(page.locator('[data-testid="pending-approvals"] li[data-state="presented"]')).toBeVisible();
  // The window cannot reach the page without its token, and never received the token.
  const guess = await page.evaluate(async () => (await fetch(`/approve/${'A'.repeat(43)}/request`)).status);
  expect(guess).toBe(410);
  const token = url.split('/').pop()!;
  expect(frames.join('\n')).not.toContain(token);

  const approvalPage = await context.newPage();
  await watchApprove(approvalPage);
  await approvalPage.goto(url);
  await approveArmsOnlyAfterDelay(approvalPage);
  await expect(approvalPage.locator('h2[data-kind="message"]')).toBeVisible();
  await expect(approvalPage.locator('body')).toContainText('Meter 7 belongs to me');
  await expect(approvalPage.getByTestId('approval-reject')).toBeFocused();
  // The window losing focus disarms Approve; coming back waits 1.5 s again.
  const rearmed = await approvalPage.evaluate(async () => {
    const button = document.querySelector<HTMLButtonElement>('[data-testid="approval-approve"]')!;
    // Svelte applies state changes on a microtask: one macrotask later the DOM shows them.
    const settle = () => new Promise((ok) => setTimeout(ok, 0));
    const before = button.disabled;
    window.dispatchEvent(new Event('blur'));
    await settle();
    const afterBlur = button.disabled;
    window.dispatchEvent(new Event('focus'));
    await settle();
    return { before, afterBlur, afterFocus: button.disabled };
  });
  expect(rearmed).toEqual({ before: false, afterBlur: true, afterFocus: true });
  await expect(approvalPage.getByTestId('approval-approve')).toBeEnabled();
  await approvalPage.getByTestId('approval-approve').click();
  await expect(approvalPage.getByRole('status')).toContainText('Approved');
  const result = (await request) as { signature: string };
  expect(verifyMessage('Meter 7 belongs to me', result.signature)).toBe(account.address);

  const sent = frames.join('\n');
  expect(sent.toLowerCase()).not.toContain(account.privateKey.slice(2).toLowerCase());
  expect(await page.content()).not.toContain(account.privateKey.slice(2));
  expect(allFileText(dataDir).toLowerCase()).not.toContain(account.privateKey.slice(2).toLowerCase());
  expect(hostOutput.join('\n').toLowerCase()).not.toContain(account.privateKey.slice(2).toLowerCase());
});

test('Escape on the approval page rejects, and nothing is signed', async ({ page, context }) => {
  await openWallet(page);
  const request = page.evaluate(
    (from) =>
      window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message: 'reject me' }).then(
        () => 'signed',
        (e: { code?: string }) => e.code ?? 'error',
      ),
    account.address,
  );
  const approvalPage = await context.newPage();
  await approvalPage.goto(await nextApprovalUrl());
  await expect(approvalPage.locator('body')).toContainText('reject me');
  await approvalPage.keyboard.press('Escape');
  await expect(approvalPage.getByRole('status')).toContainText('Nothing was signed');
  expect(await request).toBe('APPROVAL_REJECTED');
  await expect(page.locator('[data-testid="pending-approvals"] li')).toHaveCount(0);
});

test('an offer is shown in plain terms, in the household zone and with the full domain (also in Chinese); look-alikes are refused with no prompt', async ({ page, browser }) => {
  await openWallet(page);
  const message = {
    seller: account.address,
    meterId: '0x' + '0a'.repeat(32),
    energyWh: 1500,
    minFillWh: 47,
    pricePerKWh: '120000000000000000',
    token: '0x0000000000000000000000000000000000000000',
    deliveryStart: 1_767_225_600, // 2026-01-01 00:00 UTC: 01:00 in Amsterdam
    deliveryEnd: 1_767_229_200,
    expiry: 1_767_225_000,
    nonce: '7',
  };
  const offer = (verifyingContract: string) => ({
    kind: 'typedData',
    from: account.address,
    domain: { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract },
    types: { Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) },
    primaryType: 'Offer',
    message,
  });
  const ask = (req: unknown) =>
    page.evaluate(
      (r) =>
        window.wattlet!.invoke('wallet.requestSignature', r as never).then(
          (x) => JSON.stringify(x),
          (e: { code?: string; facts?: { reason?: string } }) => `${e.code ?? 'error'}${e.facts?.reason ? `:${e.facts.reason}` : ''}`,
        ),
      req,
    );
  expect(await ask(offer('0x000000000000000000000000000000000000dEaD'))).toBe('WALLET_FOREIGN_CONTRACT');
  // The substitution of issue 14: a harmless primaryType, a bigger root struct in `types`.
  const substituted = {
    ...offer(LEDGER),
    types: { Note: [{ name: 'text', type: 'string' }], Pay: [{ name: 'to', type: 'address' }, { name: 'note', type: 'Note' }] },
    primaryType: 'Note',
    message: { to: '0x' + 'ee'.repeat(20), note: { text: 'hi' } },
  };
  expect(await ask(substituted)).toBe('WALLET_REQUEST_INVALID:primary-type-not-root');
  expect(await ask({ ...offer(LEDGER), message: { ...message, beneficiary: '0x' + 'ee'.repeat(20) } })).toBe('WALLET_REQUEST_INVALID:unknown-key');
  expect(hostOutput.some((l) => l.startsWith('Approval needed'))).toBe(false);

  const pending = ask(offer(LEDGER));
  // No language is set for this household (householdLanguage is null): the page follows the browser's.
  const zh = await browser.newContext({ locale: 'zh-CN', timezoneId: 'UTC' });
  const approvalPage = await zh.newPage();
  await approvalPage.goto(await nextApprovalUrl());
  await expect(approvalPage.locator('h1')).toHaveText('批准签名');
  const summary = approvalPage.getByTestId('offer-summary');
  await expect(summary.locator('h3')).toHaveText('出售电能');
  await expect(summary.locator('[data-offer="energy"]')).toHaveText(/1\.5\s*kWh/);
  // The screen is on UTC; the household is in Amsterdam: the window is shown at 01:00–02:00 there.
  await expect(summary.locator('[data-offer="window"]')).toContainText('01:00');
  await expect(summary.locator('[data-offer="window"]')).toContainText('02:00');
  await expect(summary.locator('[data-offer="window"]')).toContainText('Europe/Amsterdam');
  await expect(summary.locator('[data-offer="price"]')).toContainText('0.12 ETH/kWh');
  await expect(summary.locator('[data-offer="total"]')).toContainText('0.18 ETH');
  // No rate from ETH to the household's euros is made up: it says so.
  await expect(summary.locator('[data-offer="no-rate"]')).toContainText('EUR');
  const row = (name: string) => approvalPage.locator(`tr[data-field="${name}"]`);
  await expect(row('energyWh')).toContainText('1.5');
  await expect(row('pricePerKWh')).toContainText('ETH/kWh');
  await expect(row('deliveryEnd')).toBeVisible();
  await expect(row('nonce')).toContainText('7');
  await expect(row('domain.name')).toContainText('Wattlet EnergyLedger');
  await expect(row('domain.version')).toContainText('1');
  await expect(row('domain.chainId')).toContainText('31337');
  await expect(row('domain.verifyingContract')).toContainText(LEDGER);
  await expect(row('primaryType')).toContainText('Offer');
  // The type hash shown is the one of the fields shown (computed here from the request's own types).
  await expect(row('typeHash')).toContainText(id(TypedDataEncoder.from({ Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) }).encodeType('Offer')));
  await expect(approvalPage.getByTestId('approval-approve')).toBeEnabled();
  await approvalPage.getByTestId('approval-approve').click();
  const { signature } = JSON.parse(await pending) as { signature: string };
  const signed = offer(LEDGER);
  expect(verifyTypedData(signed.domain, signed.types, signed.message, signature)).toBe(account.address);
  await zh.close();
});

test('the approval page speaks the household’s language, whatever the browser’s; the browser’s only when none is set', async ({ page, browser }) => {
  await openWallet(page);
  const sign = (message: string) =>
    page.evaluate(
      ({ from, message }) => window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message }).then(() => 'signed', (e: { code?: string }) => e.code ?? 'error'),
      { from: account.address, message },
    );
  const shownIn = async (locale: string, message: string): Promise<{ title: string; lang: string; kind: string }> => {
    const context = await browser.newContext({ locale });
    const approvalPage = await context.newPage();
    await approvalPage.goto(await nextApprovalUrl());
    await expect(approvalPage.locator('body')).toContainText(message);
    const shown = {
      title: (await approvalPage.locator('h1').textContent()) ?? '',
      lang: (await approvalPage.locator('html').getAttribute('lang')) ?? '',
      kind: (await approvalPage.locator('h2[data-kind]').textContent()) ?? '',
    };
    await approvalPage.keyboard.press('Escape');
    await expect(approvalPage.getByRole('status')).toBeVisible();
    await context.close();
    return shown;
  };
  try {
    // Chinese in Settings, an English browser: the page is in Chinese.
    householdLanguage = 'zh-CN';
    let request = sign('zh please');
    expect(await shownIn('en-US', 'zh please')).toEqual({ title: '批准签名', lang: 'zh-CN', kind: '签署消息' });
    expect(await request).toBe('APPROVAL_REJECTED');
    // English in Settings, a Chinese browser: the page is in English.
    householdLanguage = 'en';
    request = sign('en please');
    expect(await shownIn('zh-CN', 'en please')).toEqual({ title: 'Approve a signature', lang: 'en', kind: 'Sign a message' });
    expect(await request).toBe('APPROVAL_REJECTED');
  } finally {
    householdLanguage = null;
  }
});

test('a banner on every page says an approval waits; "Show it" hands the page to the person again, never to the window', async ({ page, context }) => {
  const frames = recordFrames(page);
  await openWallet(page);
  await page.locator('nav a[data-page="overview"]').click();
  await expect(page.getByTestId('approval-banner')).toHaveCount(0);
  const request = page.evaluate(
    (from) => window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message: 'banner' }).then(() => 'signed', (e: { code?: string }) => e.code ?? 'error'),
    account.address,
  );
  const url = await nextApprovalUrl();
  const banner = page.getByTestId('approval-banner');
  await expect(banner).toContainText('An approval is waiting');
  await expect(page.locator('.region[aria-live="polite"]').getByTestId('approval-banner')).toBeVisible();
  await page.getByTestId('approval-reveal').click();
  await expect(page.getByTestId('approval-revealed')).toBeVisible();
  // Delivered again, out of band: the same one-time address; the window never saw it.
  expect(await nextApprovalUrl()).toBe(url);
  expect(frames.join('\n')).not.toContain(url.split('/').pop()!);
  await page.locator('nav a[data-page="history"]').click();
  await expect(banner).toBeVisible();
  const approvalPage = await context.newPage();
  await approvalPage.goto(url);
  await approvalPage.getByTestId('approval-reject').click();
  expect(await request).toBe('APPROVAL_REJECTED');
  await expect(banner).toHaveCount(0);
  expect(await page.evaluate(() => window.wattlet!.invoke('wallet.revealApproval', {}))).toEqual({ revealed: false });
});

test('removing the last account of a key asks on the approval page before the keychain entry goes', async ({ page, context }) => {
  await openWallet(page);
  const home = page.locator('tr', { has: page.getByTestId('account-label').getByText('Home', { exact: true }) });
  await expect(home).toHaveCount(1);
  const address = await home.getAttribute('data-address');
  await home.getByRole('button', { name: 'Remove' }).click();
  await expect(home.getByRole('alert')).toContainText('deleted from the keychain');
  await home.getByRole('button', { name: 'Remove' }).click();
  const approvalPage = await context.newPage();
  await approvalPage.goto(await nextApprovalUrl());
  await expect(approvalPage.locator('h2[data-kind="removeKey"]')).toBeVisible();
  await expect(approvalPage.locator('tr[data-field="addresses"]')).toContainText(address!);
  await approvalPage.getByTestId('approval-approve').click();
  await expect(page.locator(`tr[data-address="${address}"]`)).toHaveCount(0);
  expect(wallet.service.status().accounts.some((a) => a.address === address)).toBe(false);
});

test('the real host process hands the approval address over in its 0600 file and signs only after that page approves', async ({ page, context }) => {
  // The built host (out/main/host.js), its wallet bound to this test's private keyring.
  const real = await startHost({ env: { DBUS_SESSION_BUS_ADDRESS: keyring.busAddress } });
  try {
    const frames = recordFrames(page);
    await page.goto(real.launchUrl);
    await page.locator('nav a[data-page="wallet"]').click();
    await page.getByTestId('import-kind-key').check();
    await page.getByTestId('import-secret').fill(account.privateKey);
    await page.getByTestId('wallet-import').click();
    await expect(page.locator(`tr[data-address="${account.address}"]`)).toBeVisible();
    await page.getByTestId('wallet-unlock').click();
    await expect(page.getByTestId('wallet-state')).toHaveText('Unlocked');
    const request = page.evaluate(
      (from) => window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message: 'real host' }),
      account.address,
    );
    const url = await real.approvalUrl();
    expect(frames.join('\n')).not.toContain(url.split('/').pop()!);
    expect(real.output.join('\n')).not.toContain(url.split('/').pop()!);
    const approvalPage = await context.newPage();
    await approvalPage.goto(url);
    await expect(approvalPage.locator('body')).toContainText('real host');
    await approvalPage.getByTestId('approval-approve').click();
    const { signature } = (await request) as { signature: string };
    expect(verifyMessage('real host', signature)).toBe(account.address);
    const secret = account.privateKey.slice(2).toLowerCase();
    expect(frames.join('\n').toLowerCase()).not.toContain(secret);
    expect(real.output.join('\n').toLowerCase()).not.toContain(secret);
    expect(allFileText(real.dataDir).toLowerCase()).not.toContain(secret);
  } finally {
    await real.stop();
    rmSync(real.dataDir, { recursive: true, force: true });
  }
});
