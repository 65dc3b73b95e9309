import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Interface, type ContractTransactionResponse, type HDNodeWallet, type TransactionReceipt } from 'ethers';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import {
  anchorDay, chainNow, deployLedger, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld,
} from '../../fixtures/market/market-world.js';
import { ENERGY_MARKET_ABI } from '../../../main/market/market-abi.js';
import { hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, SETTLEMENT_GRACE_SECONDS, type Offer } from '../../../main/market/offer.js';
import { buildSettlementProofs, dayProofTuples } from '../../../main/market/settlement-proof.js';
import { buyerRefund, costOf, sellerShare } from '../../../main/market/pricing.js';
import { dayOf } from '../../../main/ledger/day.js';
import type { SaltedInterval } from '../../../main/ledger/tree/index.js';

// EnergyMarket as deployed inside the real EnergyLedger, on real Hardhat (EDR) nodes.
let chainA: LocalChain;
let chainB: LocalChain;
let a: MarketWorld;
let b: MarketWorld;

beforeAll(async () => {
  [chainA, chainB] = await Promise.all([startLocalChain(31337), startLocalChain(31338)]);
  [a, b] = await Promise.all([deployLedger(chainA), deployLedger(chainB)]);
});
afterAll(async () => {
  await Promise.all([chainA?.stop(), chainB?.stop()]);
});

const PRICE = 123_456_789_012_345n; // wei per kWh: odd on purpose, so rounding shows

function as(w: MarketWorld, who: HDNodeWallet): Contract {
  return new Contract(w.address, ENERGY_MARKET_ABI, who);
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const r = await (await tx).wait();
  if (!r) throw new Error('no receipt');
  return r;
}

const marketInterface = new Interface(ENERGY_MARKET_ABI);

/** The custom error's name: ethers decodes reverts of calls, not of estimateGas before a send. */
function revertName(e: unknown): string {
  const data = (e as { data?: unknown }).data;
  const parsed = typeof data === 'string' ? marketInterface.parseError(data) : null;
  return parsed?.name ?? String(e).slice(0, 200);
}

async function expectRevert(p: Promise<unknown>, name: string): Promise<void> {
  await expect(p.then(() => 'no revert', revertName)).resolves.toBe(name);
}

interface Setup {
  readonly seller: HDNodeWallet;
  readonly meterId: string;
  readonly offer: Offer;
  readonly hash: string;
  readonly signature: string;
  readonly day: number;
}

/** A seller with a registered meter and a signed offer for 10:00–12:00 UTC tomorrow (chain time). */
async function signedOffer(w: MarketWorld, energyWh: number, nonce = 1n, sellerIndex = 2): Promise<Setup> {
  const seller = hardhatWallet(sellerIndex, w.provider);
  const meterId = newMeterId('meter');
  await registerMeter(w, meterId, seller.address);
  const day = dayOf(await chainNow(w.provider)) + 1;
  const start = day * 86_400 + 10 * 3600;
  const offer: Offer = {
    seller: seller.address, meterId, energyWh, minFillWh: Math.ceil(energyWh / 32), pricePerKWh: PRICE, token: NATIVE_TOKEN,
    deliveryStart: start, deliveryEnd: start + 2 * 3600, expiry: start, nonce,
  };
  const domain = marketDomain(w.chainId, w.address);
  const signature = await seller.signTypedData(domain, offerTypes(), offerValue(offer));
  return { seller, meterId, offer, hash: hashOffer(domain, offer), signature, day };
}

async function publish(w: MarketWorld, s: Setup): Promise<void> {
  await mined(as(w, s.seller).getFunction('publishOffer')(offerTuple(s.offer), s.signature));
}

async function fill(w: MarketWorld, buyer: HDNodeWallet, s: Setup, wh: number): Promise<TransactionReceipt> {
  return mined(as(w, buyer).getFunction('fill')(s.hash, wh, { value: costOf(wh, s.offer.pricePerKWh) }));
}

/** Operator anchors the day (export per interval from `exportAt`), after the day has closed. */
async function deliver(w: MarketWorld, s: Setup, exportAt: (k: number) => number): Promise<SaltedInterval[]> {
  const leaves = operatorDay(s.meterId, s.day, exportAt);
  await travelTo(w.provider, (s.day + 1) * 86_400 + 60);
  await anchorDay(w, s.meterId, s.day, leaves);
  return leaves;
}

async function proofsFor(s: Setup, leaves: SaltedInterval[]): Promise<unknown[]> {
  return dayProofTuples(await buildSettlementProofs(s.offer, async () => leaves));
}

const fee = (r: TransactionReceipt): bigint => r.gasUsed * r.gasPrice;

describe('EnergyMarket on a local Hardhat chain', () => {
  it('publishes a signed offer with every field in OfferPublished, and the contract agrees on its hash', async () => {
    const s = await signedOffer(a, 5000);
    const c = as(a, s.seller);
    expect(await c.getFunction('hashOffer')(offerTuple(s.offer))).toBe(s.hash);
    const r = await mined(c.getFunction('publishOffer')(offerTuple(s.offer), s.signature));
    const ev = r.logs.map((l) => c.interface.parseLog(l)).find((l) => l?.name === 'OfferPublished');
    expect(ev?.args.toObject()).toMatchObject({
      offerHash: s.hash, seller: s.seller.address, meterId: s.meterId, energyWh: 5000n, minFillWh: 157n, pricePerKWh: PRICE,
      token: NATIVE_TOKEN, deliveryStart: BigInt(s.offer.deliveryStart), deliveryEnd: BigInt(s.offer.deliveryEnd),
      expiry: BigInt(s.offer.expiry), nonce: 1n,
    });
    await expectRevert(c.getFunction('publishOffer')(offerTuple(s.offer), s.signature), 'AlreadyPublished');
  });

  it('pays the seller everything when delivery covers the sale, and leaves buyers nothing to reclaim', async () => {
    const s = await signedOffer(a, 3000);
    await publish(a, s);
    const [b1, b2] = [hardhatWallet(3, a.provider), hardhatWallet(4, a.provider)];
    await fill(a, b1, s, 1001);
    await fill(a, b2, s, 1999);
    const escrow = costOf(1001, PRICE) + costOf(1999, PRICE);
    expect(await a.provider.getBalance(a.address)).toBe(escrow);
    // 8 window intervals (40..47) export 500 Wh each = 4000 >= 3000 sold.
    const leaves = await deliver(a, s, (k) => (k >= 40 && k < 48 ? 500 : 0));
    const before = await a.provider.getBalance(s.seller.address);
    const r = await mined(as(a, s.seller).getFunction('settle')(s.hash, await proofsFor(s, leaves)));
    expect((await a.provider.getBalance(s.seller.address)) - before + fee(r)).toBe(escrow);
    const rec = await as(a, s.seller).getFunction('offerRecord')(s.hash);
    expect(rec.provenWh).toBe(3000n);
    expect(rec.settled).toBe(true);
    await expectRevert(as(a, b1).getFunction('reclaim')(s.hash), 'NothingToReclaim');
    expect(await a.provider.getBalance(a.address)).toBe(0n);
  });

  it('when delivery falls short, pays pro rata and refunds each buyer exactly paid - floor(paid*delivered/sold)', async () => {
    const s = await signedOffer(a, 3000);
    await publish(a, s);
    const [b1, b2] = [hardhatWallet(5, a.provider), hardhatWallet(6, a.provider)];
    await fill(a, b1, s, 1001);
    await fill(a, b2, s, 1999);
    const p1 = costOf(1001, PRICE);
    const p2 = costOf(1999, PRICE);
    // Proven export: 7 intervals x 311 Wh + 1 x 0 = 2177 Wh of 3000 sold.
    const leaves = await deliver(a, s, (k) => (k >= 40 && k < 47 ? 311 : 0));
    const sellerBefore = await a.provider.getBalance(s.seller.address);
    const r = await mined(as(a, s.seller).getFunction('settle')(s.hash, await proofsFor(s, leaves)));
    const expectedPay = sellerShare(p1, 2177, 3000) + sellerShare(p2, 2177, 3000);
    expect((await a.provider.getBalance(s.seller.address)) - sellerBefore + fee(r)).toBe(expectedPay);
    for (const [buyer, paid] of [[b1, p1], [b2, p2]] as const) {
      const before = await a.provider.getBalance(buyer.address);
      const rr = await mined(as(a, buyer).getFunction('reclaim')(s.hash));
      const refund = (await a.provider.getBalance(buyer.address)) - before + fee(rr);
      expect(refund).toBe(buyerRefund(paid, 2177, 3000));
      expect(refund).toBe(paid - (paid * 2177n) / 3000n);
      await expectRevert(as(a, buyer).getFunction('reclaim')(s.hash), 'NothingToReclaim');
    }
    // Every wei of escrow went to exactly one party.
    expect(await a.provider.getBalance(a.address)).toBe(0n);
  });

  it('refuses to settle twice, and an interval that backed one sale cannot back another', async () => {
    const first = await signedOffer(a, 2000, 1n);
    const seller = first.seller;
    // A second offer by the same seller, same meter and window.
    const second: Setup = await (async () => {
      const offer: Offer = { ...first.offer, nonce: 2n };
      const domain = marketDomain(a.chainId, a.address);
      return { ...first, offer, hash: hashOffer(domain, offer), signature: await seller.signTypedData(domain, offerTypes(), offerValue(offer)) };
    })();
    await publish(a, first);
    await publish(a, second);
    const buyer = hardhatWallet(7, a.provider);
    await fill(a, buyer, first, 2000);
    await fill(a, buyer, second, 2000);
    // The window exports 8 x 300 = 2400 Wh: enough for one sale of 2000, leaving 400 for the other.
    const leaves = await deliver(a, first, (k) => (k >= 40 && k < 48 ? 300 : 0));
    const proofs = await proofsFor(first, leaves);
    await mined(as(a, seller).getFunction('settle')(first.hash, proofs));
    await expectRevert(as(a, seller).getFunction('settle')(first.hash, proofs), 'AlreadySettled');
    await mined(as(a, seller).getFunction('settle')(second.hash, proofs));
    const rec = await as(a, seller).getFunction('offerRecord')(second.hash);
    expect(rec.provenWh).toBe(400n);
    let used = 0n;
    for (let k = 40; k < 48; k++) used += await as(a, seller).getFunction('usedExportWh')(first.meterId, first.day * 86_400 + k * 900);
    expect(used).toBe(2400n);
  });

  it('refuses a proof with altered export or a missing interval', async () => {
    const s = await signedOffer(a, 1000);
    await publish(a, s);
    await fill(a, hardhatWallet(8, a.provider), s, 1000);
    const leaves = await deliver(a, s, (k) => (k >= 40 && k < 48 ? 100 : 0));
    const good = await buildSettlementProofs(s.offer, async () => leaves);
    const forged = good.map((p) => ({ ...p, leaves: p.leaves.map((l) => ({ ...l, exportWh: l.exportWh + 50n })) }));
    await expectRevert(as(a, s.seller).getFunction('settle')(s.hash, dayProofTuples(forged)), 'InvalidProof');
    // Dropping a leaf breaks the multiproof's shape, which OpenZeppelin's MerkleProof refuses.
    const short = good.map((p) => ({ ...p, leaves: p.leaves.slice(1) }));
    const name = await as(a, s.seller).getFunction('settle')(s.hash, dayProofTuples(short)).then(() => 'no revert', revertName);
    expect(name).toBe('MerkleProofInvalidMultiproof');
  });

  it('refuses filling beyond the offer, and keeps what was filled after a cancel', async () => {
    const s = await signedOffer(a, 1500);
    await publish(a, s);
    const buyer = hardhatWallet(9, a.provider);
    await fill(a, buyer, s, 1000);
    await expectRevert(
      as(a, buyer).getFunction('fill')(s.hash, 501, { value: costOf(501, PRICE) }),
      'OverFill',
    );
    await expectRevert(as(a, buyer).getFunction('fill')(s.hash, 100, { value: costOf(100, PRICE) - 1n }), 'WrongPayment');
    await expectRevert(as(a, buyer).getFunction('cancel')(s.hash), 'NotSeller');
    await mined(as(a, s.seller).getFunction('cancel')(s.hash));
    await expectRevert(as(a, buyer).getFunction('fill')(s.hash, 100, { value: costOf(100, PRICE) }), 'OfferCancelledError');
    const rec = await as(a, buyer).getFunction('offerRecord')(s.hash);
    expect(rec.filledWh).toBe(1000n);
    expect(rec.escrow).toBe(costOf(1000, PRICE));
  });

  it('refuses filling an expired offer, and publishing a cancelled unpublished one', async () => {
    const s = await signedOffer(a, 1000);
    await publish(a, s);
    await travelTo(a.provider, s.offer.expiry);
    await expectRevert(
      as(a, hardhatWallet(10, a.provider)).getFunction('fill')(s.hash, 10, { value: costOf(10, PRICE) }),
      'OfferExpired',
    );
    const t = await signedOffer(a, 1000);
    await expectRevert(as(a, hardhatWallet(10, a.provider)).getFunction('cancelUnpublished')(offerTuple(t.offer)), 'NotSeller');
    await mined(as(a, t.seller).getFunction('cancelUnpublished')(offerTuple(t.offer)));
    await expectRevert(as(a, t.seller).getFunction('publishOffer')(offerTuple(t.offer), t.signature), 'OfferCancelledError');
  });

  it('refuses a signature replayed on another chain or another contract', async () => {
    // Same deployer and nonce on both chains: the contract sits at the same address on each.
    expect(b.address).toBe(a.address);
    const s = await signedOffer(a, 1000, 77n, 11);
    await publish(a, s);
    await registerMeter(b, s.meterId, s.seller.address);
    await expectRevert(as(b, hardhatWallet(11, b.provider)).getFunction('publishOffer')(offerTuple(s.offer), s.signature), 'InvalidSignature');
    const other = await deployLedger(chainA);
    await registerMeter(other, s.meterId, s.seller.address);
    await expectRevert(as(other, hardhatWallet(11, a.provider)).getFunction('publishOffer')(offerTuple(s.offer), s.signature), 'InvalidSignature');
  });

  it('lets buyers reclaim everything when no settlement comes within the grace period', async () => {
    const s = await signedOffer(a, 1000);
    await publish(a, s);
    const buyer = hardhatWallet(12, a.provider);
    await fill(a, buyer, s, 700);
    await travelTo(a.provider, s.offer.deliveryEnd + 60);
    await expectRevert(as(a, buyer).getFunction('reclaim')(s.hash), 'ReclaimTooEarly');
    await travelTo(a.provider, s.offer.deliveryEnd + SETTLEMENT_GRACE_SECONDS);
    const before = await a.provider.getBalance(buyer.address);
    const r = await mined(as(a, buyer).getFunction('reclaim')(s.hash));
    expect((await a.provider.getBalance(buyer.address)) - before + fee(r)).toBe(costOf(700, PRICE));
    await expectRevert(as(a, s.seller).getFunction('settle')(s.hash, []), 'SettlementClosed');
  });
});

describe('EnergyMarket settlement across midnight', () => {
  it('takes one multiproof per UTC day for a window that spans two days', async () => {
    const seller = hardhatWallet(13, a.provider);
    const meterId = newMeterId('night');
    await registerMeter(a, meterId, seller.address);
    const day = dayOf(await chainNow(a.provider)) + 1;
    const start = day * 86_400 + 23 * 3600; // 23:00 → 01:00 next day
    const offer: Offer = {
      seller: seller.address, meterId, energyWh: 800, minFillWh: Math.ceil(800 / 32), pricePerKWh: PRICE, token: NATIVE_TOKEN,
      deliveryStart: start, deliveryEnd: start + 7200, expiry: start, nonce: 9n,
    };
    const domain = marketDomain(a.chainId, a.address);
    const s: Setup = { seller, meterId, offer, hash: hashOffer(domain, offer), signature: await seller.signTypedData(domain, offerTypes(), offerValue(offer)), day };
    await publish(a, s);
    await fill(a, hardhatWallet(14, a.provider), s, 800);
    const d1 = operatorDay(meterId, day, (k) => (k >= 92 ? 100 : 0)); // 4 x 100 before midnight
    const d2 = operatorDay(meterId, day + 1, (k) => (k < 4 ? 50 : 0)); // 4 x 50 after
    await travelTo(a.provider, (day + 2) * 86_400 + 60);
    await anchorDay(a, meterId, day, d1);
    await anchorDay(a, meterId, day + 1, d2);
    const proofs = await buildSettlementProofs(offer, async (_m, d) => (d === day ? d1 : d2));
    expect(proofs.map((p) => [p.day, p.leaves.length])).toEqual([[day, 4], [day + 1, 4]]);
    // Only the first day's proof: the window is incomplete.
    await expectRevert(as(a, seller).getFunction('settle')(s.hash, dayProofTuples(proofs.slice(0, 1))), 'IncompleteWindow');
    await mined(as(a, seller).getFunction('settle')(s.hash, dayProofTuples(proofs)));
    const rec = await as(a, seller).getFunction('offerRecord')(s.hash);
    expect(rec.provenWh).toBe(600n);
    expect(rec.sellerPaid).toBe(sellerShare(costOf(800, PRICE), 600, 800));
  });
});

describe('EnergyMarket settlement cost', () => {
  it('settles a whole day (96 intervals, one multiproof) well inside a block', async () => {
    const seller = hardhatWallet(15, a.provider);
    const meterId = newMeterId('day');
    await registerMeter(a, meterId, seller.address);
    const day = dayOf(await chainNow(a.provider)) + 1;
    const offer: Offer = {
      seller: seller.address, meterId, energyWh: 9000, minFillWh: Math.ceil(9000 / 32), pricePerKWh: PRICE, token: NATIVE_TOKEN,
      deliveryStart: day * 86_400, deliveryEnd: (day + 1) * 86_400, expiry: day * 86_400, nonce: 1n,
    };
    const domain = marketDomain(a.chainId, a.address);
    const s: Setup = { seller, meterId, offer, hash: hashOffer(domain, offer), signature: await seller.signTypedData(domain, offerTypes(), offerValue(offer)), day };
    await publish(a, s);
    await fill(a, hardhatWallet(16, a.provider), s, 9000);
    const leaves = await deliver(a, s, (k) => (k >= 36 && k < 68 ? 250 : 0)); // 32 x 250 = 8000 Wh
    const r = await mined(as(a, seller).getFunction('settle')(s.hash, await proofsFor(s, leaves)));
    expect((await as(a, seller).getFunction('offerRecord')(s.hash)).provenWh).toBe(8000n);
    // Per interval: a leaf hash, a storage write for used export, and a bit of the multiproof.
    // Measured ~1.65 M gas for a day, so the 7-day maximum window (~11.5 M) fits a 30 M block.
    expect(r.gasUsed).toBeLessThan(3_000_000n);
  });
});
