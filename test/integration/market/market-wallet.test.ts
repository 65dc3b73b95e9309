import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory, type InterfaceAbi } from 'ethers';
import demoToken from '../../../resources/contracts/build/DemoToken.json' with { type: 'json' };
import { createDispatcher } from '../../../main/api/dispatcher.js';
import type { ApprovalView } from '../../../main/api/wallet.js';
import { MarketChain, MarketService, createMarketHandlers, walletMarketAccounts } from '../../../main/market/index.js';
import { dayOf } from '../../../main/ledger/day.js';
import { startPrivateKeyring, type PrivateKeyring } from '../wallet/support/private-keyring.js';
import { LEDGER, WalletHarness, tempDataDir } from '../wallet/support/wallet-harness.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { chainNow, deployLedger, newMeterId, registerMeter, type MarketWorld } from '../../fixtures/market/market-world.js';
import { HARDHAT_MNEMONIC } from '../wallet/support/hardhat-node.js';

// The market signing through the real wallet (keychain in a private gnome-keyring, approval queue):
// one approval per offer (its signature and the transaction that publishes it), one per purchase
// (a token allowance and the fill together), each showing the sale in plain terms and the checks;
// nothing is signed or sent until the person approves, and a rejection reaches the caller typed.
let keyring: PrivateKeyring;
let chain: LocalChain;
let w: MarketWorld;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;
let eurd: Contract;
let home: string;
let neighbour: string;
let market: MarketService;
let dispatch: ReturnType<typeof createDispatcher>;
const meterId = newMeterId('wallet');

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startLocalChain(31337)]);
  // The wallet signs only for "the EnergyLedger" it is configured with; the first deployment is it.
  w = await deployLedger(chain);
  expect(w.address).toBe(LEDGER);
  const art = demoToken as unknown as { abi: InterfaceAbi; bytecode: string };
  const deployed = await new ContractFactory(art.abi, art.bytecode, w.admin).deploy('Demo Euro', 'EURD', 6);
  await deployed.waitForDeployment();
  eurd = new Contract(await deployed.getAddress(), art.abi, w.admin);
  data = tempDataDir();
  h = new WalletHarness(data.dir, chain.url);
  const imported = await h.result<{ keyId: string; account: { address: string } }>('wallet.import', { kind: 'mnemonic', mnemonic: HARDHAT_MNEMONIC, label: 'Home' });
  await h.result('wallet.unlock', {});
  home = imported.account.address;
  neighbour = (await h.result<{ address: string }>('wallet.addAccount', { keyId: imported.keyId, label: 'Neighbour' })).address;
  await registerMeter(w, meterId, home);
  await (await eurd.getFunction('mint')(neighbour, 50_000_000n)).wait(); // 50 EURD
  market = new MarketService({
    chain: new MarketChain({ provider: w.provider, address: w.address }),
    accounts: walletMarketAccounts(h.wallet, () => h.provider),
    meterId,
    intervals: async () => [],
    exportHistory: { exportWh: async () => null },
  });
  dispatch = createDispatcher(createMarketHandlers(market));
});
afterAll(async () => {
  h?.dispose();
  await chain?.stop();
  keyring?.stop();
  data?.remove();
});

async function tomorrow(hour: number): Promise<number> {
  return (dayOf(await chainNow(w.provider)) + 1) * 86_400 + hour * 3600;
}

describe('market through the wallet approval queue', () => {
  let offerHash = '';

  it('publishes an offer after one approval that shows the offer, its checks and the publishing transaction', async () => {
    const start = await tomorrow(10);
    const request = { deliveryStart: start, deliveryEnd: start + 3600, energyWh: 2100, pricePerKWh: '190000', token: await eurd.getAddress(), account: home };

    // Rejected: nothing is signed, nothing reaches the chain.
    const rejected = dispatch('market.createOffer', request, { host: 'browser' });
    (await h.surface.next()).decide('reject');
    const r1 = await rejected;
    expect(r1.ok ? 'ok' : r1.error.code).toBe('APPROVAL_REJECTED');
    expect((await market.myOffers(home)).offers).toHaveLength(0);

    const before = h.surface.shown.length;
    const pending = dispatch('market.createOffer', request, { host: 'browser' });
    const prompt = await h.surface.next();
    const view = prompt.view as Extract<ApprovalView, { kind: 'typedData' }>;
    expect(view.kind).toBe('typedData');
    // The offer in the household's money (EURD names the euro), as the sentence above the fields says it.
    expect(view.offer).toMatchObject({ energyKWh: '2.1', pricePerKWh: { amount: '0.19' }, total: { amount: '0.399' }, inHouseholdCurrency: true, householdCurrency: 'EUR' });
    expect(view.fields.find((f) => f.name === 'pricePerKWh')).toMatchObject({ display: '0.19', unit: 'EURD/kWh' });
    // Approving also publishes: to the EnergyLedger, with the most fee it may cost.
    expect(view.publish).toMatchObject({ to: LEDGER, call: 'EnergyLedger.publishOffer(offer, signature)' });
    expect(BigInt(view.publish!.maxFeeWei)).toBeGreaterThan(0n);
    // The operator never anchored this meter: the sale could not settle, and there is no export to compare.
    expect(view.checks.map((c) => c.id).sort()).toEqual(['noAnchoredExport', 'priceNotComparable', 'windowNotAnchorable']);
    prompt.decide('approve');
    const r2 = await pending;
    if (!r2.ok) throw new Error(`${r2.error.code} ${r2.error.message}`);
    // One approval for the whole offer.
    expect(h.surface.shown.length - before).toBe(1);
    offerHash = (r2.result as { offerHash: string }).offerHash;
    const mine = await market.myOffers(home);
    expect(mine.offers.map((o) => [o.offerHash, o.state, o.offer.energyWh, o.token.symbol, o.token.currency])).toEqual([[offerHash, 'open', 2100, 'EURD', 'EUR']]);
    expect(mine.offers[0]!.timeline.map((s) => [s.step, s.status])).toEqual([
      ['listed', 'done'], ['bought', 'current'], ['delivery', 'skipped'], ['anchored', 'skipped'], ['settled', 'skipped'],
    ]);
  });

  it('refuses to let an account buy its own offer before anyone is asked', async () => {
    const shown = h.surface.shown.length;
    const r = await dispatch('market.fill', { offerHash, energyWh: 100, account: home }, { host: 'browser' });
    expect(r.ok ? 'ok' : r.error.code).toBe('MARKET_SELF_TRADE');
    expect(h.surface.shown.length).toBe(shown);
    const book = await market.offers(false, home);
    expect(book.offers.find((o) => o.offerHash === offerHash)?.own).toBe('self');
    expect((await market.offers(false, neighbour)).offers.find((o) => o.offerHash === offerHash)?.own).toBe('wallet');
  });

  it('buys with one approval: the allowance and the fill together, described from the ledger', async () => {
    const before = h.surface.shown.length;
    const pending = dispatch('market.fill', { offerHash, energyWh: 2000, account: neighbour }, { host: 'browser' });
    const prompt = await h.surface.next();
    const view = prompt.view as Extract<ApprovalView, { kind: 'calls' }>;
    expect(view.kind).toBe('calls');
    expect(view.from).toBe(neighbour);
    expect(view.calls.map((c) => c.call?.name)).toEqual(['approve', 'fill']);
    expect(view.purchase).toMatchObject({
      offerHash, seller: home, energyKWh: '2.0', amount: { units: '380000', amount: '0.38' }, pricePerKWh: { amount: '0.19' },
      inHouseholdCurrency: true, householdCurrency: 'EUR', token: { symbol: 'EURD' },
    });
    expect(Number(view.purchase!.reclaimFrom)).toBe(Number(view.purchase!.deliveryEnd) + 3 * 86_400);
    // The seller is another account of this wallet: worth a word before paying yourself.
    expect(view.checks.map((c) => c.id)).toEqual(['buyFromYourOtherAccount']);
    prompt.decide('approve');
    const r = await pending;
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    expect((r.result as { paid: string }).paid).toBe('380000');
    expect(h.surface.shown.length - before).toBe(1);
    expect(await eurd.getFunction('balanceOf')(w.address)).toBe(380_000n);
    expect(await eurd.getFunction('allowance')(neighbour, w.address)).toBe(0n);
    const bought = await market.myPurchases(neighbour);
    expect(bought.purchases.map((p) => [p.offerHash, p.energyWh, p.paid])).toEqual([[offerHash, 2000, '380000']]);
    expect(bought.purchases[0]!.timeline[0]).toMatchObject({ step: 'bought', status: 'done', facts: { energyWh: 2000, paid: '380000' } });
  });

  it('refuses a purchase by an unknown account, or one the account cannot pay for, before anyone is asked', async () => {
    const shown = h.surface.shown.length;
    const stranger = await dispatch('market.fill', { offerHash, energyWh: 50, account: LEDGER }, { host: 'browser' });
    expect(stranger.ok ? 'ok' : stranger.error.code).toBe('WALLET_ACCOUNT_UNKNOWN');
    const keyId = h.wallet.accounts()[0]!.keyId;
    const empty = (await h.result<{ address: string }>('wallet.addAccount', { keyId, label: 'Empty' })).address;
    const poor = await dispatch('market.fill', { offerHash, energyWh: 100, account: empty }, { host: 'browser' });
    expect(poor.ok ? null : poor.error).toMatchObject({ code: 'MARKET_INSUFFICIENT_FUNDS', facts: { needed: '19000', balance: '0', symbol: 'EURD' } });
    // Below the seller's minimum purchase (ceil(2100 / 32) = 66 Wh), unless it is all that is left.
    const small = await dispatch('market.fill', { offerHash, energyWh: 50, account: neighbour }, { host: 'browser' });
    expect(small.ok ? null : small.error).toMatchObject({ code: 'MARKET_FILL_TOO_SMALL', facts: { minFillWh: 66, requestedWh: 50 } });
    expect(h.surface.shown.length).toBe(shown);
  });
});
