import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { MarketChain, MarketService, createMarketHandlers } from '../../../main/market/index.js';
import { dayOf } from '../../../main/ledger/day.js';
import { ApprovingSigner } from '../../../main/wallet/approving-signer.js';
import { startPrivateKeyring, type PrivateKeyring } from '../wallet/support/private-keyring.js';
import { LEDGER, WalletHarness, tempDataDir } from '../wallet/support/wallet-harness.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { chainNow, deployLedger, hardhatWallet, newMeterId, registerMeter, type MarketWorld } from '../../fixtures/market/market-world.js';
import { HARDHAT_MNEMONIC } from '../wallet/support/hardhat-node.js';

// The market signing through the real wallet (keychain in a private gnome-keyring, approval queue):
// nothing is signed or sent until the person approves on the approval surface, and a rejection
// reaches the market's caller as the wallet's typed error.
let keyring: PrivateKeyring;
let chain: LocalChain;
let w: MarketWorld;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startLocalChain(31337)]);
  w = await deployLedger(chain);
  data = tempDataDir();
  h = new WalletHarness(data.dir, chain.url);
  await h.result('wallet.import', { kind: 'mnemonic', mnemonic: HARDHAT_MNEMONIC, label: 'Home' });
  await h.result('wallet.unlock', {});
});
afterAll(async () => {
  h?.dispose();
  await chain?.stop();
  keyring?.stop();
  data?.remove();
});

describe('market through the wallet approval queue', () => {
  it('publishes an offer only after the person approves the signature and the transaction', async () => {
    // The wallet signs only for "the EnergyLedger" it is configured with; the first deployment is it.
    expect(w.address).toBe(LEDGER);
    const seller = hardhatWallet(0, w.provider).address;
    const meterId = newMeterId('wallet');
    await registerMeter(w, meterId, seller);
    const market = new MarketService({
      chain: new MarketChain({ provider: w.provider, address: w.address }),
      signer: new ApprovingSigner(h.wallet, seller, h.provider),
      meterId,
      intervals: async () => [],
      exportHistory: { exportWh: async () => null },
    });
    const dispatch = createDispatcher(createMarketHandlers(market));
    const start = (dayOf(await chainNow(w.provider)) + 1) * 86_400 + 10 * 3600;
    const request = { deliveryStart: start, deliveryEnd: start + 3600, energyWh: 1500, pricePerKWh: '120000000000000000' };

    // Rejected at the signature: nothing reaches the chain.
    const rejected = dispatch('market.createOffer', request, { host: 'browser' });
    const first = await h.surface.next();
    expect(first.view.kind).toBe('typedData');
    first.decide('reject');
    const r1 = await rejected;
    expect(r1.ok ? 'ok' : r1.error.code).toBe('APPROVAL_REJECTED');
    expect((await market.myOffers()).offers).toHaveLength(0);

    // Approved twice: the offer's typed data (shown in kWh and per-kWh), then publishOffer.
    const pending = dispatch('market.createOffer', request, { host: 'browser' });
    const sig = await h.surface.next();
    if (sig.view.kind !== 'typedData') throw new Error(`expected typed data, got ${sig.view.kind}`);
    expect(sig.view.fields.find((f) => f.name === 'energyWh')).toMatchObject({ display: '1.5', unit: 'kWh' });
    expect(sig.view.fields.find((f) => f.name === 'pricePerKWh')).toMatchObject({ display: '0.12', unit: 'ETH/kWh' });
    sig.decide('approve');
    const tx = await h.surface.next();
    expect(tx.view.kind).toBe('transaction');
    tx.decide('approve');
    const r2 = await pending;
    if (!r2.ok) throw new Error(`${r2.error.code} ${r2.error.message}`);
    const mine = await market.myOffers();
    expect(mine.offers.map((o) => [o.offerHash, o.state, o.offer.energyWh])).toEqual([[(r2.result as { offerHash: string }).offerHash, 'open', 1500]]);
  });
});
