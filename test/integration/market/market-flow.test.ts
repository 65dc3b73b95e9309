import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HDNodeWallet } from 'ethers';
import { createDispatcher, type Dispatch } from '../../../main/api/dispatcher.js';
import { EventBus } from '../../../main/api/event-bus.js';
import type { Envelope } from '../../../main/api/contract.js';
import { Contract, hexlify, randomBytes } from 'ethers';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { MarketChain, MarketService, createMarketHandlers, dayIntervalsFromHandovers, ledgerAnchorCheck, type ExportHistory } from '../../../main/market/index.js';
import { dayOf } from '../../../main/ledger/day.js';
import type { SaltedInterval } from '../../../main/ledger/tree/index.js';
import { DemoOperator, syntheticReadingSource } from '../../../main/ledger/operator/index.js';
import { OPERATOR_ABI } from '../../fixtures/market/market-world.js';
import { ethersAccounts } from '../../fixtures/market/ethers-accounts.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { anchorDay, chainNow, deployLedger, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../../fixtures/market/market-world.js';

// The whole sale through the market's channels (dispatcher → handlers → MarketService → real chain),
// with two wallets: a prosumer who lists and settles, a household that buys and reclaims.
let chain: LocalChain;
let w: MarketWorld;
beforeAll(async () => {
  chain = await startLocalChain(31337);
  w = await deployLedger(chain);
});
afterAll(async () => chain?.stop());

interface Party {
  readonly wallet: HDNodeWallet;
  readonly call: <T>(channel: string, req: unknown) => Promise<T>;
  readonly raw: Dispatch;
  readonly changes: string[];
}

/** Export history of the prosumer: 400 Wh per 15 min between 10:00 and 14:00 UTC, every past day. */
const history: ExportHistory = {
  async exportWh(from, to) {
    let wh = 0;
    for (let t = from; t < to; t += 900) {
      const h = (t % 86_400) / 3600;
      if (h >= 10 && h < 14) wh += 400;
    }
    return wh;
  },
};

function party(wallet: HDNodeWallet, meterId: string | null, intervals: Map<number, SaltedInterval[]> | ((m: string, d: number) => Promise<SaltedInterval[]>)): Party {
  const events = new EventBus();
  const changes: string[] = [];
  events.on('market.changed', (p) => changes.push(p.kind));
  const service = new MarketService({
    chain: new MarketChain({ provider: w.provider, address: w.address }),
    accounts: ethersAccounts([wallet]),
    meterId,
    intervals: typeof intervals === 'function' ? intervals : async (_m, day) => intervals.get(day) ?? [],
    exportHistory: history,
    events,
    anchorCheck: ledgerAnchorCheck({ rpc: httpTransport(chain.url), contract: w.address, minDepth: 0 }),
  });
  const raw = createDispatcher(createMarketHandlers(service), { onInternalError: (c, e) => console.error(c, e) });
  const call = async <T,>(channel: string, req: unknown): Promise<T> => {
    const env = (await raw(channel, req, { host: 'cli' })) as Envelope<T>;
    if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
    return env.result;
  };
  return { wallet, call, raw, changes };
}

async function errorCode(p: Party, channel: string, req: unknown): Promise<{ code: string; facts: Record<string, unknown> }> {
  const env = await p.raw(channel, req, { host: 'cli' });
  if (env.ok) throw new Error(`${channel} succeeded`);
  return env.error;
}

interface OfferOut { offerHash: string; offer: { energyWh: number; pricePerKWh: string } }
interface MyOffersOut { offers: Array<{ offerHash: string; state: string; proofStatus: string; anchorsVerified: boolean | null; filledWh: number; escrow: string; sellerPaid: string; canSettle: boolean; fills: unknown[] }> }
interface PurchasesOut { purchases: Array<{ offerHash: string; state: string; proofStatus: string; anchorsVerified: boolean | null; paid: string; refund: string | null; canReclaim: boolean; deliveredWh: number | null }> }

/** A prosumer with a registered meter, an operator day with `exportAt`, and a listed, bought offer. */
async function listedAndBought(sellerIdx: number, buyerIdx: number, buyWh: number, exportAt: (k: number) => number) {
  const meterId = newMeterId('prosumer');
  const intervals = new Map<number, SaltedInterval[]>();
  const seller = party(hardhatWallet(sellerIdx, w.provider), meterId, intervals);
  const buyer = party(hardhatWallet(buyerIdx, w.provider), null, new Map());
  await registerMeter(w, meterId, seller.wallet.address);
  const day = dayOf(await chainNow(w.provider)) + 1;
  const start = day * 86_400 + 10 * 3600;
  const window = { deliveryStart: start, deliveryEnd: start + 7200 };

  const price = { suggestedPerKWh: '190000000000555' };
  const surplus = await seller.call<{ estimatedExportWh: number; availableWh: number; basisDays: number }>('market.surplus', window);
  expect(surplus).toMatchObject({ estimatedExportWh: 3200, availableWh: 3200, basisDays: 7 });

  const created = await seller.call<OfferOut>('market.createOffer', { ...window, energyWh: 3000, pricePerKWh: price.suggestedPerKWh });
  const after = await seller.call<{ alreadyOfferedWh: number; availableWh: number }>('market.surplus', window);
  expect(after).toMatchObject({ alreadyOfferedWh: 3000, availableWh: 200 });

  const book = await buyer.call<{ offers: Array<{ offerHash: string; state: string; remainingWh: number }> }>('market.offers', {});
  expect(book.offers.find((o) => o.offerHash === created.offerHash)).toMatchObject({ state: 'open', remainingWh: 3000 });
  const filled = await buyer.call<{ paid: string }>('market.fill', { offerHash: created.offerHash, energyWh: buyWh });

  const leaves = operatorDay(meterId, day, exportAt);
  intervals.set(day, leaves);
  return { seller, buyer, meterId, day, window, offerHash: created.offerHash, paid: BigInt(filled.paid), leaves };
}

describe('market flow through the channels, two wallets on a local chain', () => {
  it('a prosumer lists, a household buys, delivery is anchored, settlement pays out', async () => {
    const s = await listedAndBought(2, 3, 3000, (k) => (k >= 40 && k < 48 ? 400 : 0));
    expect(await errorCode(s.buyer, 'market.fill', { offerHash: s.offerHash, energyWh: 1 })).toMatchObject({ code: 'MARKET_OVERFILL', facts: { availableWh: 0 } });
    let mine = await s.seller.call<MyOffersOut>('market.myOffers', {});
    expect(mine.offers[0]).toMatchObject({ offerHash: s.offerHash, state: 'filled', proofStatus: 'pending-delivery', filledWh: 3000, canSettle: false, anchorsVerified: null });
    expect((await errorCode(s.seller, 'market.settle', { offerHash: s.offerHash })).code).toBe('MARKET_SETTLEMENT_TOO_EARLY');

    await travelTo(w.provider, (s.day + 1) * 86_400 + 60);
    mine = await s.seller.call<MyOffersOut>('market.myOffers', {});
    expect(mine.offers[0]).toMatchObject({ state: 'awaiting-settlement', proofStatus: 'awaiting-anchor' });
    expect((await errorCode(s.seller, 'market.settle', { offerHash: s.offerHash })).code).toBe('MARKET_NOT_ANCHORED');
    await anchorDay(w, s.meterId, s.day, s.leaves);
    mine = await s.seller.call<MyOffersOut>('market.myOffers', {});
    // Ready: the household's intervals hash to the root, and the ledger's verifier proved that root in storage.
    expect(mine.offers[0]).toMatchObject({ proofStatus: 'ready', canSettle: true, anchorsVerified: true });
    expect((await errorCode(s.buyer, 'market.settle', { offerHash: s.offerHash })).code).toBe('MARKET_NOT_SELLER');

    const before = await w.provider.getBalance(s.seller.wallet.address);
    const settled = await s.seller.call<{ provenWh: number; deliveredWh: number; sellerPaid: string; txHash: string }>('market.settle', { offerHash: s.offerHash });
    expect(settled).toMatchObject({ provenWh: 3000, deliveredWh: 3000, sellerPaid: s.paid.toString() });
    const receipt = await w.provider.getTransactionReceipt(settled.txHash);
    expect((await w.provider.getBalance(s.seller.wallet.address)) - before + receipt!.gasUsed * receipt!.gasPrice).toBe(s.paid);

    const bought = await s.buyer.call<PurchasesOut>('market.myPurchases', {});
    expect(bought.purchases[0]).toMatchObject({ offerHash: s.offerHash, state: 'settled', proofStatus: 'proven', refund: '0', canReclaim: false, deliveredWh: 3000, anchorsVerified: true });
    expect((await errorCode(s.buyer, 'market.reclaim', { offerHash: s.offerHash })).code).toBe('MARKET_NOTHING_TO_RECLAIM');
    const book = await s.buyer.call<{ offers: Array<{ offerHash: string; sellerRecord: Record<string, number> }> }>('market.offers', { includeClosed: true });
    expect(book.offers.find((o) => o.offerHash === s.offerHash)?.sellerRecord).toMatchObject({ anchoredExportWh: 3200, settledSales: 1, deliveredWh: 3000, shortSales: 0 });
    expect(s.seller.changes).toEqual(['published', 'settled']);
  });

  it('when delivery falls short, the household gets exactly the right refund', async () => {
    // 1999 Wh bought; the window exports 7 x 173 = 1211 Wh.
    const s = await listedAndBought(4, 5, 1999, (k) => (k >= 40 && k < 47 ? 173 : 0));
    await travelTo(w.provider, (s.day + 1) * 86_400 + 60);
    await anchorDay(w, s.meterId, s.day, s.leaves);
    const settled = await s.seller.call<{ provenWh: number; sellerPaid: string }>('market.settle', { offerHash: s.offerHash });
    const expectedRefund = s.paid - (s.paid * 1211n) / 1999n;
    expect(settled).toMatchObject({ provenWh: 1211, sellerPaid: (s.paid - expectedRefund).toString() });
    const bought = await s.buyer.call<PurchasesOut>('market.myPurchases', {});
    expect(bought.purchases[0]).toMatchObject({ state: 'settled', proofStatus: 'proven', refund: expectedRefund.toString(), canReclaim: true, deliveredWh: 1211 });
    const before = await w.provider.getBalance(s.buyer.wallet.address);
    const r = await s.buyer.call<{ amount: string; txHash: string }>('market.reclaim', { offerHash: s.offerHash });
    const receipt = await w.provider.getTransactionReceipt(r.txHash);
    expect(r.amount).toBe(expectedRefund.toString());
    expect((await w.provider.getBalance(s.buyer.wallet.address)) - before + receipt!.gasUsed * receipt!.gasPrice).toBe(expectedRefund);
    expect((await s.buyer.call<PurchasesOut>('market.myPurchases', {})).purchases[0]).toMatchObject({ canReclaim: false });
  });

  it("shows root-mismatch and refuses to settle when the household's intervals differ from the anchor", async () => {
    const s = await listedAndBought(6, 7, 1000, (k) => (k >= 40 && k < 48 ? 400 : 0));
    await travelTo(w.provider, (s.day + 1) * 86_400 + 60);
    await anchorDay(w, s.meterId, s.day, s.leaves);
    // The household's copy of one interval says more export than the operator anchored.
    const tampered = s.leaves.map((l, k) => (k === 44 ? { ...l, exportWh: l.exportWh + 1n } : l));
    s.leaves.splice(0, s.leaves.length, ...tampered);
    const mine = await s.seller.call<MyOffersOut>('market.myOffers', {});
    expect(mine.offers[0]?.proofStatus).toBe('root-mismatch');
    expect(await errorCode(s.seller, 'market.settle', { offerHash: s.offerHash })).toMatchObject({ code: 'MARKET_PROOF_ROOT_MISMATCH', facts: { day: s.day } });
  });

  it('counts an anchor as verified only when its storage proof checks', async () => {
    const s = await listedAndBought(10, 11, 500, (k) => (k >= 40 && k < 48 ? 100 : 0));
    await travelTo(w.provider, (s.day + 1) * 86_400 + 60);
    await anchorDay(w, s.meterId, s.day, s.leaves);
    const honest = httpTransport(chain.url);
    // An endpoint that lies about the anchored root in its eth_getProof answer.
    const lying = {
      async request(method: string, params: readonly unknown[]) {
        const answer = await honest.request(method, params);
        if (method !== 'eth_getProof') return answer;
        const a = answer as { storageProof: Array<{ value: string }> };
        return { ...a, storageProof: a.storageProof.map((p, i) => (i === 0 ? { ...p, value: '0x' + 'ab'.repeat(32) } : p)) };
      },
    };
    expect(await ledgerAnchorCheck({ rpc: honest, contract: w.address, minDepth: 0 })(s.meterId, s.day)).toBe(true);
    expect(await ledgerAnchorCheck({ rpc: lying, contract: w.address, minDepth: 0 })(s.meterId, s.day)).toBe(false);
  });
});

describe("settlement with the ledger's demo operator", () => {
  it("proves delivery from the operator's handover (its salts and tree) and pays for exactly the export anchored", async () => {
    const operator = new DemoOperator({
      contract: new Contract(w.address, [...OPERATOR_ABI, 'function anchorDays(bytes32,uint32[],bytes32[],uint64[],uint64[])', 'function operatorAnchor(bytes32,uint32) view returns ((bytes32 root,uint64 importWh,uint64 exportWh,uint64 anchoredAt))'], w.operator),
      source: syntheticReadingSource(11),
      secret: hexlify(randomBytes(32)),
    });
    const meterId = newMeterId('demo-household');
    const intervals = dayIntervalsFromHandovers(operator);
    const seller = party(hardhatWallet(8, w.provider), meterId, async (m, d) => [...(await intervals(m, d))]);
    const buyer = party(hardhatWallet(9, w.provider), null, new Map());
    await operator.registerMeter(meterId, seller.wallet.address);
    const day = dayOf(await chainNow(w.provider)) + 1;
    const start = day * 86_400 + 11 * 3600;
    const created = await seller.call<OfferOut>('market.createOffer', { deliveryStart: start, deliveryEnd: start + 7200, energyWh: 50_000, pricePerKWh: '1000000000000' });
    await buyer.call('market.fill', { offerHash: created.offerHash, energyWh: 50_000 });
    await travelTo(w.provider, (day + 1) * 86_400 + 60);
    expect(await operator.anchorDays(meterId, [day])).toEqual([day]);
    const handover = await operator.handover(meterId, day);
    const windowExport = handover!.intervals.filter((iv) => iv.start >= start && iv.start < start + 7200).reduce((t, iv) => t + Number(iv.exportWh), 0);
    expect(windowExport).toBeGreaterThan(0);
    expect(windowExport).toBeLessThan(50_000);
    const mine = await seller.call<MyOffersOut>('market.myOffers', {});
    expect(mine.offers[0]?.proofStatus).toBe('ready');
    const settled = await seller.call<{ provenWh: number }>('market.settle', { offerHash: created.offerHash });
    expect(settled.provenWh).toBe(windowExport);
  });
});
