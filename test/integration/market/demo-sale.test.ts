import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, RequestOf, ResponseOf } from '../../../main/api/contract.js';
import type { ApprovalView } from '../../../main/api/wallet.js';
import { composeServices, type Services } from '../../../main/compose.js';
import { dayOf } from '../../../main/ledger/day.js';
import { silentLogger } from '../../../main/logging/logger.js';
import { costOf } from '../../../main/market/pricing.js';
import type { ApprovalSurface } from '../../../main/wallet/index.js';
import { startPrivateKeyring, type PrivateKeyring } from '../wallet/support/private-keyring.js';

// A sale seen through in the app's own composition in demo mode (composeServices: the demo room
// plays the meter, the chain, the operator and the currencies): the household sells 2 kWh in
// euros, a neighbour (an imported key) buys them, the demo chain's clock is moved past delivery,
// the demo operator anchors the day in its region, the household settles, and the payout and the
// refund follow the contract's integer rules. Every signature is approved on an approval surface
// that records what the person was shown (one prompt per offer, one per purchase).
let keyring: PrivateKeyring;
let dir: string;
let services: Services;
const shown: ApprovalView[] = [];
const surface: ApprovalSurface = {
  present: async (view) => {
    shown.push(view);
    return 'approve';
  },
};
const neighbourKey = Wallet.createRandom();
let household = '';

async function ask<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const env = await services.dispatch(channel, request, { host: 'cli' });
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message} ${JSON.stringify(env.error.facts)}`);
  return env.result as ResponseOf<C>;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  keyring = await startPrivateKeyring({ unlocked: true });
  dir = mkdtempSync(join(tmpdir(), 'wattlet-demo-sale-'));
  services = await composeServices({ dataDir: join(dir, 'data'), host: 'cli', version: '0.0.0', meter: 'demo', demoDays: 2, approval: surface, parts: { logger: silentLogger } });
  expect(await services.demo.ready).not.toBeNull();
  const imported = await ask('wallet.import', { kind: 'mnemonic', mnemonic: HDNodeWallet.createRandom().mnemonic!.phrase, label: 'Home' });
  household = imported.account.address;
  await ask('wallet.import', { kind: 'privateKey', privateKey: neighbourKey.privateKey, label: 'Neighbour' });
  await ask('wallet.unlock', {});
}, 180_000);

afterAll(async () => {
  try {
    await services?.dispose();
  } finally {
    keyring?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

describe('a sale seen through in demo mode', () => {
  it('funds every account in the demo currencies and lets only the meter owner sell', async () => {
    const accounts = await until('the adoption', () => ask('market.accounts', {}), (a) => a.accounts.some((x) => x.meterOwner));
    expect(accounts.householdCurrency).toBe('EUR');
    expect(accounts.accounts.map((a) => [a.label, a.meterOwner])).toEqual([['Home', true], ['Neighbour', false]]);
    // The faucet mints one currency after the other: wait for the last (the yuan), not the first.
    const tokens = await until('the funding', () => ask('market.tokens', { account: neighbourKey.address }), (t) => ['EURD', 'CNYD'].every((s) => t.tokens.some((x) => x.symbol === s && x.balance !== '0')));
    // The household's currency first; the chain's coin last.
    expect(tokens.tokens.map((t) => [t.symbol, t.currency, t.balance])).toEqual([
      ['EURD', 'EUR', '500000000'],
      ['CNYD', 'CNY', '5000000000'],
      ['ETH', null, expect.any(String)],
    ]);
    const status = await ask('demo.status', {});
    expect(status.chain).toBe(true);
    expect(status.tokens.map((t) => t.symbol)).toEqual(['EURD', 'CNYD']);
  });

  it('sells 2 kWh in euros with one approval, the neighbour buys with one, and the skip shows delivery, anchor, settlement and payout', async () => {
    const eurd = (await ask('market.tokens', {})).tokens.find((t) => t.symbol === 'EURD')!;
    const now = (await ask('demo.status', {})).chainNow!;
    const start = (dayOf(now) + 1) * 86_400 + 10 * 3600; // 11:00–14:00 in Amsterdam, tomorrow on the chain
    const end = start + 3 * 3600;
    const prices = await ask('market.prices', { deliveryStart: start, deliveryEnd: end, token: eurd.address });
    // The demo tariff (EU time of use): feed-in €0.08, import in the shoulder window €0.2725 (6 decimals).
    expect(prices.rates).toMatchObject({ currency: 'EUR', feedInUnits: '80000', importUnits: '272500', windows: ['shoulder'] });
    expect(prices.suggestedPerKWh).toBe('170000');

    const before = shown.length;
    const created = await ask('market.createOffer', { energyWh: 2000, pricePerKWh: prices.suggestedPerKWh!, deliveryStart: start, deliveryEnd: end, token: eurd.address, account: household });
    expect(shown.length - before).toBe(1);
    const offerView = shown.at(-1) as Extract<ApprovalView, { kind: 'typedData' }>;
    expect(offerView.offer).toMatchObject({ energyKWh: '2.0', inHouseholdCurrency: true, householdCurrency: 'EUR', pricePerKWh: { amount: '0.17' }, total: { amount: '0.34' } });
    expect(offerView.publish).not.toBeNull();
    expect(offerView.checks.map((c) => c.id)).not.toContain('priceBelowFeedIn');

    // The seller cannot buy it; the neighbour can, with one approval.
    const own = await services.dispatch('market.fill', { offerHash: created.offerHash, energyWh: 2000, account: household }, { host: 'cli' });
    expect(own.ok ? 'ok' : own.error.code).toBe('MARKET_SELF_TRADE');
    const bought = await ask('market.fill', { offerHash: created.offerHash, energyWh: 2000, account: neighbourKey.address });
    expect(bought.paid).toBe(costOf(2000, 170_000n).toString());
    expect(shown.length - before).toBe(2);
    expect((shown.at(-1) as Extract<ApprovalView, { kind: 'calls' }>).purchase).toMatchObject({ seller: household, energyKWh: '2.0', amount: { amount: '0.34' } });

    // Skip to after delivery: the chain's clock moves, and the demo operator anchors the day.
    const skipTo = (dayOf(end - 1) + 1) * 86_400 + 3600;
    const moved = await ask('demo.fastForward', { to: skipTo });
    expect(moved.now).toBeGreaterThanOrEqual(skipTo);
    expect(moved.anchoredDays).toContain(new Date(start * 1000).toISOString().slice(0, 10));
    const ready = await ask('market.myOffers', { account: household });
    const sale = ready.offers.find((o) => o.offerHash === created.offerHash)!;
    expect(sale).toMatchObject({ state: 'awaiting-settlement', proofStatus: 'ready', canSettle: true, anchorsVerified: true });
    expect(sale.timeline.map((s) => [s.step, s.status])).toEqual([
      ['listed', 'done'], ['bought', 'done'], ['delivery', 'done'], ['anchored', 'done'], ['settled', 'current'], ['paid', 'pending'],
    ]);

    const settled = await ask('market.settle', { offerHash: created.offerHash, account: household });
    expect(settled.deliveredWh).toBe(Math.min(settled.provenWh, 2000));
    const paidOut = (BigInt(bought.paid) * BigInt(settled.deliveredWh)) / 2000n;
    expect(settled.sellerPaid).toBe(paidOut.toString());
    const after = (await ask('market.myOffers', { account: household })).offers.find((o) => o.offerHash === created.offerHash)!;
    expect(after.timeline.map((s) => [s.step, s.status])).toEqual([
      ['listed', 'done'], ['bought', 'done'], ['delivery', 'done'], ['anchored', 'done'], ['settled', 'done'], ['paid', 'done'],
    ]);
    const purchase = (await ask('market.myPurchases', { account: neighbourKey.address })).purchases.find((p) => p.offerHash === created.offerHash)!;
    expect(purchase.refund).toBe((BigInt(bought.paid) - paidOut).toString());
    expect(purchase.timeline.find((s) => s.step === 'settled')).toMatchObject({ status: 'done' });

    // The notification centre heard it: filled, then settled (the settlement-due notice withdrawn).
    const list = await until('the notifications', () => ask('notifications.list', {}), (l) => l.notifications.some((n) => n.kind === 'offerSettled'));
    const kinds = list.notifications.map((n) => n.kind);
    expect(kinds).toContain('offerFilled');
    expect(kinds).not.toContain('settlementDue');
  });
});
