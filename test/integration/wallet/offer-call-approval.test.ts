import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory, Interface, type InterfaceAbi } from 'ethers';
import demoToken from '../../../resources/contracts/build/DemoToken.json' with { type: 'json' };
import { createDispatcher } from '../../../main/api/dispatcher.js';
import type { ApprovalView, MarketCallView } from '../../../main/api/wallet.js';
import { dayOf } from '../../../main/ledger/day.js';
import type { SaltedInterval } from '../../../main/ledger/tree/index.js';
import { ENERGY_MARKET_ABI, MarketChain, MarketService, createMarketHandlers, walletMarketAccounts } from '../../../main/market/index.js';
import { anchorDay, chainNow, deployLedger, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../../fixtures/market/market-world.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { HARDHAT_MNEMONIC } from './support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';
import { LEDGER, WalletHarness, tempDataDir } from './support/wallet-harness.js';

// Cancel, settle and reclaim approved through the real wallet (keychain in a private gnome-keyring,
// the approval queue) on a local chain with the EnergyLedger: each approval's view says in plain
// terms what the call moves, read by the wallet from the ledger, and what it says is what the ledger
// then does. Two neighbours buy 1 kWh each of a 3 kWh offer, the household withdraws the rest,
// delivers 1.2 kWh of the 2 kWh sold, is paid its share, and a neighbour takes its refund back.
let keyring: PrivateKeyring;
let chain: LocalChain;
let w: MarketWorld;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;
let eurd: Contract;
let home: string;
let neighbours: string[];
let dispatch: ReturnType<typeof createDispatcher>;
const intervals = new Map<number, SaltedInterval[]>();
const meterId = newMeterId('offer-calls');
const market = new Interface(ENERGY_MARKET_ABI as unknown as string[]);

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startLocalChain(31337)]);
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
  neighbours = [];
  for (const label of ['Left', 'Right']) {
    const address = (await h.result<{ address: string }>('wallet.addAccount', { keyId: imported.keyId, label })).address;
    await (await eurd.getFunction('mint')(address, 10_000_000n)).wait();
    neighbours.push(address);
  }
  await registerMeter(w, meterId, home);
  const service = new MarketService({
    chain: new MarketChain({ provider: w.provider, address: w.address }),
    accounts: walletMarketAccounts(h.wallet, () => h.provider),
    meterId,
    intervals: async (_m, day) => intervals.get(day) ?? [],
    exportHistory: { exportWh: async () => null },
  });
  dispatch = createDispatcher(createMarketHandlers(service));
});
afterAll(async () => {
  h?.dispose();
  await chain?.stop();
  keyring?.stop();
  data?.remove();
});

/** Runs a market channel, approving the one prompt it raises; answers the prompt's view and the result. */
async function approved<T>(channel: string, req: unknown): Promise<{ view: ApprovalView; result: T }> {
  const pending = dispatch(channel, req, { host: 'browser' });
  const prompt = await h.surface.next();
  prompt.decide('approve');
  const r = await pending;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return { view: prompt.view, result: r.result as T };
}

const marketOf = (v: ApprovalView): MarketCallView | null => (v.kind === 'transaction' ? v.market : null);

describe('a cancel, settle and reclaim, each said as the ledger then does it', () => {
  let offerHash = '';
  let day = 0;
  const paid: bigint[] = [];

  it('a cancel says what is withdrawn and what stays sold', async () => {
    day = dayOf(await chainNow(w.provider)) + 1;
    const start = day * 86_400 + 10 * 3600; // 10:00–12:00 UTC
    const listed = await approved<{ offerHash: string }>('market.createOffer', {
      deliveryStart: start, deliveryEnd: start + 7200, energyWh: 3000, minFillWh: 500, pricePerKWh: '170000', token: await eurd.getAddress(), account: home,
    });
    offerHash = listed.result.offerHash;
    for (const buyer of neighbours) {
      const bought = await approved<{ paid: string }>('market.fill', { offerHash, energyWh: 1000, account: buyer });
      paid.push(BigInt(bought.result.paid));
    }
    const { view } = await approved('market.cancel', { offerHash, account: home });
    expect(view.kind).toBe('transaction');
    expect(marketOf(view)).toMatchObject({
      call: 'cancel', offerHash, seller: home, energyWh: '3000', soldWh: '2000', unsoldWh: '1000', accepted: true,
      pricePerKWh: { units: '170000', amount: '0.17' }, inHouseholdCurrency: true, householdCurrency: 'EUR', timeZone: 'Europe/Amsterdam',
    });
    // The figures are the ledger's: the cancelled offer still holds both purchases.
    const record = await new Contract(w.address, ENERGY_MARKET_ABI as unknown as string[], w.provider).getFunction('offerRecord')(offerHash);
    expect([record.cancelled, record.filledWh, record.energyWh - record.filledWh]).toEqual([true, 2000n, 1000n]);
  });

  it('a settle says the delivered energy, the pay and the refund before the call, and the ledger moves exactly that', async () => {
    // 150 Wh in each of the window's 8 quarter hours: 1,200 Wh proven of the 2,000 Wh sold.
    const leaves = operatorDay(meterId, day, (k) => (k >= 40 && k < 48 ? 150 : 0));
    intervals.set(day, leaves);
    await travelTo(w.provider, (day + 1) * 86_400 + 3600);
    await anchorDay(w, meterId, day, leaves);
    const { view, result } = await approved<{ txHash: string; sellerPaid: string; deliveredWh: number }>('market.settle', { offerHash, account: home });
    const said = marketOf(view);
    const share = (p: bigint) => (p * 1200n) / 2000n;
    expect(said).toMatchObject({
      call: 'settle', soldWh: '2000', buyers: 2, deliveredWh: '1200', accepted: true,
      escrow: { units: String(paid[0]! + paid[1]!) },
      sellerGets: { units: String(share(paid[0]!) + share(paid[1]!)) },
      buyersGetBack: { units: String(paid[0]! - share(paid[0]!) + paid[1]! - share(paid[1]!)) },
    });
    // What the ledger did: the OfferSettled event of the very transaction approved.
    const receipt = await w.provider.getTransactionReceipt(result.txHash);
    const settled = receipt!.logs.map((l) => market.parseLog(l)).find((e) => e?.name === 'OfferSettled')!;
    expect([settled.args.deliveredWh, settled.args.sellerPaid]).toEqual([1200n, BigInt(said!.call === 'settle' ? said!.sellerGets!.units : '-1')]);
  });

  it('a reclaim says what comes back and why, and the ledger pays back that amount', async () => {
    const { view, result } = await approved<{ txHash: string; amount: string }>('market.reclaim', { offerHash, account: neighbours[0] });
    const said = marketOf(view);
    expect(said).toMatchObject({ call: 'reclaim', boughtWh: '1000', paid: { units: String(paid[0]) }, cause: 'shortfall', deliveredWh: '1200', accepted: true });
    const receipt = await w.provider.getTransactionReceipt(result.txHash);
    const back = receipt!.logs.map((l) => market.parseLog(l)).find((e) => e?.name === 'EscrowReclaimed')!;
    expect(said?.call === 'reclaim' ? said.amount?.units : null).toBe(String(back.args.amount));
    expect(back.args.amount).toBe(paid[0]! - (paid[0]! * 1200n) / 2000n);
  });

  it('a call the ledger would refuse as things stand is shown as such, with no figure for it', async () => {
    // A neighbour cancelling the household's offer, its gas fixed so no estimate refuses it first.
    const pending = h.wallet.sendTransaction({ from: neighbours[1]!, to: LEDGER, data: market.encodeFunctionData('cancel', [offerHash]), gasLimit: '100000' });
    const prompt = await h.surface.next();
    expect(marketOf(prompt.view)).toMatchObject({ call: 'cancel', accepted: false });
    prompt.decide('reject');
    await expect(pending).rejects.toMatchObject({ code: 'APPROVAL_REJECTED' });
    // The first neighbour already took its refund: nothing is left to reclaim, and no amount is said.
    const again = h.wallet.sendTransaction({ from: neighbours[0]!, to: LEDGER, data: market.encodeFunctionData('reclaim', [offerHash]), gasLimit: '200000' });
    const second = await h.surface.next();
    expect(marketOf(second.view)).toMatchObject({ call: 'reclaim', accepted: false, amount: null, cause: null });
    second.decide('reject');
    await expect(again).rejects.toMatchObject({ code: 'APPROVAL_REJECTED' });
  });
});
