import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import { renderer } from '../../electron.config.js';
import type { ExportHistory } from '../../main/market/index.js';
import { dayOf } from '../../main/ledger/day.js';
import type { SaltedInterval } from '../../main/ledger/tree/index.js';
import { startLocalChain, type LocalChain } from '../fixtures/market/local-chain.js';
import { startPrivateKeyring, type PrivateKeyring } from '../integration/wallet/support/private-keyring.js';
import { startMarketHost, type MarketHost } from '../fixtures/market/market-host.js';
import { anchorDay, chainNow, deployLedger, handoversOf, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../fixtures/market/market-world.js';

// Two wallets on one local chain, each behind its own browser host, driven through the Sell and Buy
// pages: a prosumer lists, a household buys, the operator anchors delivery, settlement pays out —
// and a second run where delivery falls short and the household reclaims exactly the right refund.
// Keys live in a private gnome-keyring; every signature is approved on the wallet's approval page.
// Each sale waits on a dozen mined transactions and five approval pages: more than the default 90 s under load.
test.describe.configure({ mode: 'serial', timeout: 240_000 });
test.use({ timezoneId: 'UTC' });

let chain: LocalChain;
let world: MarketWorld;
let rendererDir: string;
let keyring: PrivateKeyring;
const hosts: MarketHost[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Before the first keychain call of this process: libsecret binds to the first bus it sees.
  keyring = await startPrivateKeyring({ unlocked: true });
  rendererDir = mkdtempSync(join(tmpdir(), 'wattlet-market-renderer-'));
  // A private renderer build: the shared out/ belongs to `npm run build`.
  await build({ ...renderer, build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true } });
  chain = await startLocalChain(31337);
  world = await deployLedger(chain);
});

test.afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

test.afterAll(async () => {
  await chain?.stop();
  keyring?.stop();
  rmSync(rendererDir, { recursive: true, force: true });
});

/** 400 Wh per quarter hour from 10:00 to 14:00 UTC on every past day. */
const history: ExportHistory = {
  async exportWh(from, to) {
    let wh = 0;
    for (let t = from; t < to; t += 900) if ((t % 86_400) / 3600 >= 10 && (t % 86_400) / 3600 < 14) wh += 400;
    return wh;
  },
};

async function open(page: Page, host: MarketHost, id: 'sell' | 'buy'): Promise<void> {
  await page.goto(host.launchUrl);
  await page.locator(`nav a[data-page="${id}"]`).click();
  await expect(page.locator('main')).toHaveAttribute('data-page', id);
}

/** The person approves the next request on the wallet's own page (delivered out of band). */
async function approve(browser: Browser, host: MarketHost, expectKind: RegExp): Promise<void> {
  const page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  await page.goto(await host.nextApproval());
  await expect(page.locator('body')).toContainText(expectKind);
  await page.getByTestId('approval-approve').click();
  await expect(page.getByTestId('approval-approve')).toHaveCount(0);
  await page.context().close();
}

async function sale(browser: Browser, sellerIdx: number, buyerIdx: number, buyWh: number, exportAt: (k: number) => number) {
  const meterId = newMeterId('e2e');
  const days = new Map<number, SaltedInterval[]>();
  const sellerWallet = hardhatWallet(sellerIdx, world.provider);
  const buyerWallet = hardhatWallet(buyerIdx, world.provider);
  await registerMeter(world, meterId, sellerWallet.address);
  const common = { world, rpcUrl: chain.url, exportHistory: history, rendererDir };
  const sellerHost = await startMarketHost({ ...common, account: sellerWallet, meterId, handovers: handoversOf(days) });
  const buyerHost = await startMarketHost({ ...common, account: buyerWallet, meterId: null, handovers: handoversOf(new Map()) });
  hosts.push(sellerHost, buyerHost);
  const seller = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  const buyer = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  const pageErrors: string[] = [];
  for (const p of [seller, buyer]) {
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  }

  // The prosumer lists tomorrow (chain time) 10:00–12:00 UTC at the suggested price.
  const day = dayOf(await chainNow(world.provider)) + 1;
  const start = day * 86_400 + 10 * 3600;
  await open(seller, sellerHost, 'sell');
  const form = seller.getByTestId('offer-form');
  await form.locator('input[name="start"]').fill(new Date(start * 1000).toISOString().slice(0, 16));
  await form.locator('input[name="hours"]').fill('2');
  await expect(seller.getByTestId('market-surplus')).toHaveAttribute('data-available-wh', '3200');
  await form.getByRole('button', { name: 'Suggest a price' }).click();
  await expect(seller.getByTestId('price-suggestion')).toBeVisible();
  await expect(form.locator('input[name="price"]')).toHaveValue('0.00019');
  await form.locator('input[name="energyWh"]').fill('3000');
  await form.getByRole('button', { name: 'Sign and publish offer' }).click();
  await expect(seller.getByTestId('market-busy')).toBeVisible();
  await approve(browser, sellerHost, /kWh/); // the offer's typed data
  await approve(browser, sellerHost, /publishOffer/); // the transaction that publishes it
  await expect(seller.getByTestId('market-notice')).toHaveText('Offer published.');
  const mine = seller.getByTestId('my-offers').locator('tbody tr').first();
  await expect(mine).toHaveAttribute('data-state', 'open');
  const offerHash = (await mine.getAttribute('data-offer')) ?? '';

  // The household buys from the book.
  await open(buyer, buyerHost, 'buy');
  const row = buyer.getByTestId('offer-book').locator(`tr[data-offer="${offerHash}"]`);
  await row.locator('input[name="buyWh"]').fill(String(buyWh));
  await row.getByRole('button', { name: 'Buy' }).click();
  await approve(browser, buyerHost, /fill/);
  await expect(buyer.getByTestId('market-notice')).toContainText('Bought');
  const purchase = buyer.getByTestId('my-purchases').locator(`tr[data-offer="${offerHash}"]`);
  await expect(purchase).toHaveAttribute('data-proof', 'pending-delivery');
  // ceil(Wh x 0.00019 ETH/kWh), the contract's rounding.
  const paid = (BigInt(buyWh) * 190_000_000_000_000n + 999n) / 1000n;

  // The day passes; the grid operator anchors it; the household's copy of the intervals arrives.
  const leaves = operatorDay(meterId, day, exportAt);
  days.set(day, leaves);
  await travelTo(world.provider, (day + 1) * 86_400 + 60);
  await anchorDay(world, meterId, day, leaves);

  await seller.getByRole('button', { name: 'Refresh' }).click();
  await expect(mine).toHaveAttribute('data-proof', 'ready');
  await expect(mine.locator('[data-anchors-verified]')).toHaveAttribute('data-anchors-verified', 'true');
  await mine.getByRole('button', { name: 'Prove delivery and get paid' }).click();
  await approve(browser, sellerHost, /settle/);
  await expect(mine).toHaveAttribute('data-state', 'settled');
  await expect(mine).toHaveAttribute('data-proof', 'proven');

  await buyer.getByRole('button', { name: 'Refresh' }).click();
  await expect(purchase).toHaveAttribute('data-state', 'settled');
  await expect(purchase).toHaveAttribute('data-proof', 'proven');
  await expect(purchase.locator('[data-anchors-verified]')).toHaveText('Anchor proven on the chain');
  // settings.get is not served by this test host; everything else must run without a script error.
  expect(pageErrors.filter((e) => !e.includes('settings'))).toEqual([]);
  return { seller, buyer, mine, purchase, paid, buyerWallet, buyerHost };
}

test('a prosumer lists, a household buys, delivery is anchored, settlement pays out', async ({ browser }) => {
  const s = await sale(browser, 15, 16, 3000, (k) => (k >= 40 && k < 48 ? 400 : 0));
  await expect(s.mine.getByTestId('seller-paid')).toHaveAttribute('data-wei', s.paid.toString());
  await expect(s.purchase.getByTestId('refund')).toHaveAttribute('data-wei', '0');
  await expect(s.purchase.getByRole('button')).toHaveCount(0);
});

test('when delivery falls short, the household reclaims exactly the right refund', async ({ browser }) => {
  // 2500 Wh bought; the window exports 7 x 211 = 1477 Wh.
  const s = await sale(browser, 17, 18, 2500, (k) => (k >= 40 && k < 47 ? 211 : 0));
  const refund = s.paid - (s.paid * 1477n) / 2500n;
  await expect(s.mine.getByTestId('seller-paid')).toHaveAttribute('data-wei', (s.paid - refund).toString());
  await expect(s.purchase.getByTestId('refund')).toHaveAttribute('data-wei', refund.toString());
  const before = await world.provider.getBalance(s.buyerWallet.address);
  await s.purchase.getByRole('button', { name: /^Reclaim/ }).click();
  await approve(browser, s.buyerHost, /reclaim/);
  await expect(s.buyer.getByTestId('market-notice')).toHaveText('Refund received.');
  await expect(s.purchase.getByRole('button')).toHaveCount(0);
  // The buyer's balance grew by the refund less the gas of the reclaim transaction.
  const block = await world.provider.getBlock('latest', true);
  const tx = block?.prefetchedTransactions.find((t) => t.from === s.buyerWallet.address);
  const receipt = tx ? await world.provider.getTransactionReceipt(tx.hash) : null;
  expect(receipt).not.toBeNull();
  expect((await world.provider.getBalance(s.buyerWallet.address)) - before + receipt!.gasUsed * receipt!.gasPrice).toBe(refund);
});
