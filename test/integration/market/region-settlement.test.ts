import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Interface, hexlify, randomBytes, type ContractTransactionResponse, type HDNodeWallet, type TransactionReceipt } from 'ethers';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { chainNow, deployLedger, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../../fixtures/market/market-world.js';
import { ENERGY_MARKET_ABI } from '../../../main/market/market-abi.js';
import { MarketChain } from '../../../main/market/market-chain.js';
import { hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, type Offer } from '../../../main/market/offer.js';
import { buildSettlementProofs, dayProofTuples, type DayProof } from '../../../main/market/settlement-proof.js';
import { costOf } from '../../../main/market/pricing.js';
import { dayOf } from '../../../main/ledger/day.js';
import { buildDayTree, buildRegionTree, RegionPartition, type RegionPath, type RegionTree, type SaltedInterval } from '../../../main/ledger/tree/index.js';
import { bytes } from '../../../main/ledger/verify/bytes.js';

// Settlement through region anchors (issue 16) on a real Hardhat chain: the seller's meter-day
// root proven under the region-day root by a Merkle path, the window's intervals as a multiproof
// under that root, export used once per interval; and each refusal as its custom error.
let chain: LocalChain;
let w: MarketWorld;
let market: MarketChain;

const REGION_ABI = [
  'function registerMeterInRegion(bytes32 meterId, address owner, bytes32 regionId)',
  'function anchorRegionDay(bytes32 regionId, uint32 day, bytes32 root, uint64 meters, uint64 importWh, uint64 exportWh)',
];
const PRICE = 200_000_000_000_000n;
const iface = new Interface(ENERGY_MARKET_ABI);

beforeAll(async () => {
  chain = await startLocalChain(31339);
  w = await deployLedger(chain);
  market = new MarketChain({ provider: w.provider, address: w.address });
});
afterAll(async () => chain?.stop());

function as(who: HDNodeWallet): Contract {
  return new Contract(w.address, ENERGY_MARKET_ABI, who);
}
const operatorContract = (): Contract => new Contract(w.address, REGION_ABI, w.operator);

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const r = await (await tx).wait();
  if (!r) throw new Error('no receipt');
  return r;
}

async function revertOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no revert',
    (e: unknown) => {
      const data = (e as { data?: unknown }).data;
      return (typeof data === 'string' ? iface.parseError(data)?.name : null) ?? String(e).slice(0, 200);
    },
  );
}

interface Sale {
  readonly seller: HDNodeWallet;
  readonly meterId: string;
  readonly offer: Offer;
  readonly hash: string;
  readonly day: number;
}

/** A seller whose meter is registered in `region` (or per meter when null), with a published, filled offer for 10:00–12:00 of `day`. */
async function sale(region: string | null, day: number, energyWh: number, sellerIndex: number, nonce = 1n, meterId = newMeterId('seller')): Promise<Sale> {
  const seller = hardhatWallet(sellerIndex, w.provider);
  if (region) await mined(operatorContract().getFunction('registerMeterInRegion')(meterId, seller.address, region));
  else await registerMeter(w, meterId, seller.address);
  const start = day * 86_400 + 10 * 3600;
  const offer: Offer = { seller: seller.address, meterId, energyWh, minFillWh: Math.ceil(energyWh / 32), pricePerKWh: PRICE, token: NATIVE_TOKEN, deliveryStart: start, deliveryEnd: start + 2 * 3600, expiry: start, nonce };
  const domain = marketDomain(w.chainId, w.address);
  const signature = await seller.signTypedData(domain, offerTypes(), offerValue(offer));
  const hash = hashOffer(domain, offer);
  await mined(as(seller).getFunction('publishOffer')(offerTuple(offer), signature));
  const buyer = hardhatWallet(9, w.provider);
  await mined(as(buyer).getFunction('fill')(hash, energyWh, { value: costOf(energyWh, PRICE) }));
  return { seller, meterId, offer, hash, day };
}

/** The operator's region-day: the seller's day among `others` neighbours, built and anchored as one root. */
async function anchorRegion(region: string, day: number, meters: readonly { meterId: string; leaves: readonly SaltedInterval[] }[], others = 30): Promise<RegionTree> {
  const parts = [new RegionPartition(day), new RegionPartition(day)];
  meters.forEach((m, i) => {
    const imp = m.leaves.reduce((s, l) => s + l.importWh, 0n);
    const exp = m.leaves.reduce((s, l) => s + l.exportWh, 0n);
    parts[i % 2]!.add(bytes(m.meterId), bytes(buildDayTree(m.meterId, m.leaves).root), imp, exp, randomBytes(32));
  });
  for (let i = 0; i < others; i++) parts[i % 2]!.add(randomBytes(32), randomBytes(32), 10n, 20n, randomBytes(32));
  const tree = buildRegionTree(region, day, parts);
  await travelTo(w.provider, (day + 1) * 86_400 + 60);
  await mined(operatorContract().getFunction('anchorRegionDay')(region, day, tree.root, BigInt(tree.meters), tree.importWh, tree.exportWh));
  return tree;
}

async function proofs(s: Sale, leaves: readonly SaltedInterval[], path: RegionPath | null): Promise<DayProof[]> {
  return buildSettlementProofs(s.offer, async () => leaves, (m, d) => market.dayAnchor(m, d), async () => path);
}

const exportAt = (wh: number) => (k: number) => (k >= 40 && k < 48 ? wh : 0);

describe('EnergyMarket settles through region anchors', () => {
  it('settles on two levels (meter-day root under the region-day root, intervals under the meter-day root), each interval used once', async () => {
    const region = newMeterId('region');
    const day = dayOf(await chainNow(w.provider)) + 1;
    const first = await sale(region, day, 2000, 2);
    // The same seller, meter and window, a second offer: the window's export can back only one.
    const domain = marketDomain(w.chainId, w.address);
    const offer2: Offer = { ...first.offer, nonce: 2n };
    const hash2 = hashOffer(domain, offer2);
    await mined(as(first.seller).getFunction('publishOffer')(offerTuple(offer2), await first.seller.signTypedData(domain, offerTypes(), offerValue(offer2))));
    await mined(as(hardhatWallet(9, w.provider)).getFunction('fill')(hash2, 2000, { value: costOf(2000, PRICE) }));

    const leaves = operatorDay(first.meterId, day, exportAt(300));
    const tree = await anchorRegion(region, day, [{ meterId: first.meterId, leaves }]);
    expect(await market.dayAnchor(first.meterId, day)).toEqual({ regionId: region, root: tree.root });
    const path = tree.path(first.meterId)!;
    expect(path.path.length).toBeGreaterThanOrEqual(5); // 31 meters: a depth-5 tree

    const built = await proofs(first, leaves, path);
    expect(built[0]!.region?.regionId).toBe(region);
    const receipt = await mined(as(first.seller).getFunction('settle')(first.hash, dayProofTuples(built)));
    console.log(`settle (8 intervals, region path of ${path.path.length}): ${receipt.gasUsed} gas`);
    expect((await as(first.seller).getFunction('offerRecord')(first.hash)).provenWh).toBe(2000n);
    await mined(as(first.seller).getFunction('settle')(hash2, dayProofTuples(built)));
    expect((await as(first.seller).getFunction('offerRecord')(hash2)).provenWh).toBe(400n);
    let used = 0n;
    for (let k = 40; k < 48; k++) used += await as(first.seller).getFunction('usedExportWh')(first.meterId, day * 86_400 + k * 900);
    expect(used).toBe(2400n);
  });

  it('refuses a meter not registered to the region, a path for another day, a forged path and a region without an anchor', async () => {
    const region = newMeterId('region');
    const elsewhere = newMeterId('region-elsewhere');
    const day = dayOf(await chainNow(w.provider)) + 2;
    const s = await sale(region, day, 1000, 3);
    const stranger = await sale(elsewhere, day, 1000, 4);
    const perMeter = await sale(null, day, 1000, 5);
    const leaves = operatorDay(s.meterId, day, exportAt(200));
    const strangerLeaves = operatorDay(stranger.meterId, day, exportAt(200));
    const perMeterLeaves = operatorDay(perMeter.meterId, day, exportAt(200));
    // The operator puts all three in `region`'s tree, though only `s` is registered there.
    const tree = await anchorRegion(region, day, [
      { meterId: s.meterId, leaves },
      { meterId: stranger.meterId, leaves: strangerLeaves },
      { meterId: perMeter.meterId, leaves: perMeterLeaves },
    ]);
    const settle = (x: Sale, ps: DayProof[]) => revertOf(as(x.seller).getFunction('settle')(x.hash, dayProofTuples(ps)));
    const built = (x: Sale, ls: readonly SaltedInterval[]) => buildSettlementProofs(x.offer, async () => ls, undefined, async () => tree.path(x.meterId));

    // Registered in another region (or in none): its leaf in this region's tree does not count.
    expect(await settle(stranger, await built(stranger, strangerLeaves))).toBe('MeterNotInRegion');
    expect(await settle(perMeter, await built(perMeter, perMeterLeaves))).toBe('MeterNotInRegion');
    // Its registered region has no anchor for the day.
    const inElsewhere = (await built(stranger, strangerLeaves)).map((p) => ({ ...p, region: { ...p.region!, regionId: elsewhere } }));
    expect(await settle(stranger, inElsewhere)).toBe('NoRegionAnchor');

    // A path for another day: the previous day's region tree holds the same meter.
    const yesterday = await (async () => {
      const parts = new RegionPartition(day - 1);
      parts.add(bytes(s.meterId), bytes(buildDayTree(s.meterId, leaves).root), 1n, 1n, randomBytes(32));
      for (let i = 0; i < 5; i++) parts.add(randomBytes(32), randomBytes(32), 1n, 1n, randomBytes(32));
      const t = buildRegionTree(region, day - 1, [parts]);
      await mined(operatorContract().getFunction('anchorRegionDay')(region, day - 1, t.root, BigInt(t.meters), t.importWh, t.exportWh));
      return t.path(s.meterId)!;
    })();
    const good = await built(s, leaves);
    const otherDay = good.map((p) => ({ ...p, region: { ...p.region!, salt: yesterday.salt, importWh: 1n, exportWh: 1n, path: yesterday.path } }));
    expect(await settle(s, otherDay)).toBe('InvalidRegionPath');
    // A forged sibling, or totals changed in the meter-day leaf.
    const forged = good.map((p) => ({ ...p, region: { ...p.region!, path: [hexlify(randomBytes(32)), ...p.region!.path.slice(1)] } }));
    expect(await settle(s, forged)).toBe('InvalidRegionPath');
    const moreExport = good.map((p) => ({ ...p, region: { ...p.region!, exportWh: p.region!.exportWh + 1n } }));
    expect(await settle(s, moreExport)).toBe('InvalidRegionPath');
    // Per meter, a region meter has no anchor of its own.
    expect(await settle(s, good.map((p) => ({ ...p, region: null })))).toBe('NoAnchor');
    // Intervals that are not under the proven meter-day root.
    const otherIntervals = good.map((p) => ({ ...p, leaves: p.leaves.map((l) => ({ ...l, exportWh: l.exportWh + 1n })) }));
    expect(await settle(s, otherIntervals)).toBe('InvalidProof');
    // And the faithful proof settles.
    await mined(as(s.seller).getFunction('settle')(s.hash, dayProofTuples(good)));
    expect((await as(s.seller).getFunction('offerRecord')(s.hash)).provenWh).toBe(1000n);
  });

  it('still settles per meter for a meter without a region (small operators)', async () => {
    const day = dayOf(await chainNow(w.provider)) + 1;
    const s = await sale(null, day, 500, 6);
    const leaves = operatorDay(s.meterId, day, exportAt(100));
    await travelTo(w.provider, (day + 1) * 86_400 + 60);
    const tree = buildDayTree(s.meterId, leaves);
    await mined(new Contract(w.address, ['function anchorDay(bytes32,uint32,bytes32,uint64,uint64)'], w.operator).getFunction('anchorDay')(s.meterId, day, tree.root, 0n, 800n));
    const ps = await proofs(s, leaves, null);
    expect(ps[0]!.region).toBeNull();
    await mined(as(s.seller).getFunction('settle')(s.hash, dayProofTuples(ps)));
    expect((await as(s.seller).getFunction('offerRecord')(s.hash)).provenWh).toBe(500n);
  });
});
