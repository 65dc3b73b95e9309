import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, verifyMessage } from 'ethers';
import { build } from 'vite';
import { renderer } from '../../electron.config.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { EventBus } from '../../main/api/event-bus.js';
import { ApprovalRoute } from '../../main/host/approval-route.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { WalletService, keytarKeychain, loadContractAbis, walletHandlers } from '../../main/wallet/index.js';
import { HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from '../integration/wallet/support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from '../integration/wallet/support/private-keyring.js';
import { allFileText } from '../integration/wallet/support/wallet-harness.js';
import { startHost } from './support/host-process.js';

// The Wallet page and the approval page in Chromium, over the browser host with the real wallet
// service: keys in a private gnome-keyring, balances from a local Hardhat chain. The host hands
// each approval address out of band, as the app does on its terminal ("Approval needed: <url>");
// the person opens it in a second page. Test-only composition of the parts the app's root wires.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const account = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/3");
const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

let keyring: PrivateKeyring;
let chain: HardhatNode;
let rendererDir: string;
let dataDir: string;
let provider: JsonRpcProvider;
let wallet: WalletService;
let approvals: ApprovalRoute;
let host: BrowserHost;
const hostOutput: string[] = [];

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
  wallet = new WalletService({
    dataDir,
    keychain: keytarKeychain(),
    surface: approvals.surface,
    events: bus,
    autoLockSeconds: () => 600,
    provider: () => provider,
    energyLedgerAddress: () => LEDGER,
    contracts: () => loadContractAbis('resources/contracts/build'),
    log: (m, f) => hostOutput.push(`${m} ${JSON.stringify(f ?? {})}`),
  });
  host = await BrowserHost.start({
    dispatch: createDispatcher(walletHandlers(wallet)),
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
  throw new Error('no approval address was printed');
}

async function openWallet(page: Page): Promise<void> {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="wallet"]').click();
  await expect(page.locator('main')).toHaveAttribute('data-page', 'wallet');
}

test('create shows the words once, confirms three of them, and the words leave the page', async ({ page }) => {
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

  const form = page.getByTestId('backup-confirm');
  for (const input of await form.locator('input[data-position]').all()) {
    const position = Number(await input.getAttribute('data-position'));
    await input.fill(words[position - 1]!);
  }
  await page.getByTestId('backup-confirm-submit').click();
  await expect(page.getByRole('status').filter({ hasText: 'Backup confirmed.' })).toBeVisible();
  await expect(page.getByTestId('confirm-backup')).toHaveCount(0);
  expect(allFileText(dataDir)).not.toContain(phrase);
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
  await approvalPage.goto(url);
  await expect(approvalPage.locator('h2[data-kind="message"]')).toBeVisible();
  await expect(approvalPage.locator('body')).toContainText('Meter 7 belongs to me');
  await expect(approvalPage.getByTestId('approval-reject')).toBeFocused();
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

test('an offer is shown in kWh and ETH/kWh (also in Chinese); a foreign contract is refused with no prompt', async ({ page, browser }) => {
  await openWallet(page);
  const offer = (verifyingContract: string) => ({
    kind: 'typedData',
    from: account.address,
    domain: { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract },
    types: {
      Offer: [
        { name: 'seller', type: 'address' },
        { name: 'energyWh', type: 'uint64' },
        { name: 'pricePerKWh', type: 'uint256' },
        { name: 'token', type: 'address' },
        { name: 'deliveryStart', type: 'uint64' },
      ],
    },
    primaryType: 'Offer',
    message: {
      seller: account.address,
      energyWh: 1500,
      pricePerKWh: '120000000000000000',
      token: '0x0000000000000000000000000000000000000000',
      deliveryStart: 1_767_225_600,
    },
  });
  const ask = (req: unknown) =>
    page.evaluate(
      (r) => window.wattlet!.invoke('wallet.requestSignature', r as never).then(() => 'signed', (e: { code?: string }) => e.code ?? 'error'),
      req,
    );
  expect(await ask(offer('0x000000000000000000000000000000000000dEaD'))).toBe('WALLET_FOREIGN_CONTRACT');
  expect(hostOutput.some((l) => l.startsWith('Approval needed'))).toBe(false);

  const pending = ask(offer(LEDGER));
  const zh = await browser.newContext({ locale: 'zh-CN', timezoneId: 'UTC' });
  const approvalPage = await zh.newPage();
  await approvalPage.goto(await nextApprovalUrl());
  await expect(approvalPage.locator('h1')).toHaveText('批准签名');
  const row = (name: string) => approvalPage.locator(`tr[data-field="${name}"]`);
  await expect(row('energyWh')).toContainText('1.5');
  await expect(row('energyWh')).toContainText('kWh');
  await expect(row('pricePerKWh')).toContainText('0.12');
  await expect(row('pricePerKWh')).toContainText('ETH/kWh');
  await expect(row('deliveryStart')).toContainText('2026-01-01T00:00:00Z');
  await expect(row('domain.name')).toContainText('Wattlet EnergyLedger');
  await expect(approvalPage.locator('body')).toContainText(LEDGER);
  await approvalPage.getByTestId('approval-reject').click();
  expect(await pending).toBe('APPROVAL_REJECTED');
  await zh.close();
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
  expect(wallet.status().accounts.some((a) => a.address === address)).toBe(false);
});

test('the real host process prints "Approval needed: <url>" and signs only after that page approves', async ({ page, context }) => {
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
    const [, url] = await real.waitForLine(/Approval needed: (\S+)/);
    expect(frames.join('\n')).not.toContain(url!.split('/').pop()!);
    const approvalPage = await context.newPage();
    await approvalPage.goto(url!);
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
