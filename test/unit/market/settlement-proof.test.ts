import { describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hexlify, randomBytes } from 'ethers';
import { isError } from '../../../main/api/errors.js';
import { officialDay } from '../../../main/ledger/operator/official-day.js';
import { buildDayTree, leafHash, LEAF_TYPES, leafValue, processProof, standardDayTree, type SaltedInterval } from '../../../main/ledger/tree/index.js';
import { hex } from '../../../main/ledger/verify/bytes.js';
import { verifyLeaves } from '../../../main/ledger/verify/leaf-proofs.js';
import { toProvenIntervals } from '../../../main/ledger/verify/verify-day.js';
import { dayIntervalsFromHandovers } from '../../../main/market/handover-intervals.js';
import { buildSettlementProofs, windowDays } from '../../../main/market/settlement-proof.js';
import { buildRegionTree, REGION_LEAF_TYPES, RegionPartition, regionLeafValue, type RegionPath } from '../../../main/ledger/tree/index.js';
import { bytes } from '../../../main/ledger/verify/bytes.js';

const meterId = hexlify(randomBytes(32));
function day(d: number): SaltedInterval[] {
  return Array.from({ length: 96 }, (_, k) => ({
    start: d * 86_400 + k * 900, seconds: 900, importWh: BigInt(k), exportWh: BigInt(2 * k), salt: hexlify(randomBytes(32)),
  }));
}
const rootOf = (ls: SaltedInterval[]): string => buildDayTree(meterId, ls).root;
const perMeter = (root: string) => ({ regionId: null, root });

describe('settlement multiproofs', () => {
  const d1 = day(20_000);
  const d2 = day(20_001);
  const w = { meterId, deliveryStart: 20_000 * 86_400 + 22 * 3600, deliveryEnd: 20_001 * 86_400 + 3600 };

  it('builds one multiproof per UTC day, covering exactly the window, that verifies against each root', async () => {
    expect(windowDays(w)).toEqual([20_000, 20_001]);
    const proofs = await buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1 : d2), async (_m, d) => perMeter(rootOf(d === 20_000 ? d1 : d2)));
    expect(proofs.map((p) => p.leaves.length)).toEqual([8, 4]);
    for (const p of proofs) {
      const root = rootOf(p.day === 20_000 ? d1 : d2);
      const leaves = p.leaves.map((l) => leafValue(meterId, l));
      expect(StandardMerkleTree.verifyMultiProof(root, [...LEAF_TYPES], { leaves, proof: [...p.proof], proofFlags: [...p.proofFlags] })).toBe(true);
      for (const l of p.leaves) expect(l.start >= w.deliveryStart && l.start < w.deliveryEnd).toBe(true);
    }
  });

  it('reports a root mismatch, a missing anchor and missing intervals as distinct errors', async () => {
    const wrong = buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1 : d2), async () => perMeter(rootOf(day(1))));
    await expect(wrong).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH') && e.facts.date === '2024-10-04');
    const none = buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1 : d2), async () => null);
    await expect(none).rejects.toSatisfy((e) => isError(e, 'MARKET_NOT_ANCHORED'));
    const gap = buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1.filter((_, k) => k !== 90) : d2));
    await expect(gap).rejects.toSatisfy((e) => isError(e, 'MARKET_INTERVALS_MISSING') && e.facts.missing === 1);
  });
});

describe('a sale and a household hash the same leaf', () => {
  // The operator's handover (the ledger's fast tree, with a proof per interval), read by the market
  // as it reads it for settlement: the market's tree must be the anchored one, and every leaf it
  // puts into a settlement must prove under that root with the household's own verifier.
  const dayNo = 20_100;
  const readings = day(dayNo).map(({ salt: _salt, ...iv }) => ({ ...iv, exportWh: iv.exportWh * 1_000_000_007n }));
  const handover = officialDay({ meterId, day: dayNo, readings, secret: hexlify(randomBytes(32)) });
  const intervals = dayIntervalsFromHandovers({ handover: async (_m, d) => (d === dayNo ? handover : null) });
  const window = { meterId, deliveryStart: dayNo * 86_400 + 10 * 3600, deliveryEnd: dayNo * 86_400 + 12 * 3600 };

  it('the market rebuilds the anchored root, and the household verifies every settled leaf under it', async () => {
    const market = standardDayTree(meterId, await intervals(meterId, dayNo));
    expect(market.root).toBe(handover.root);
    const [proof] = await buildSettlementProofs(window, intervals, async () => perMeter(handover.root));
    expect(proof!.leaves).toHaveLength(8);
    const proven = toProvenIntervals(handover);
    for (const leaf of proof!.leaves) {
      const i = proven.findIndex((p) => p.start === leaf.start);
      expect(leaf).toEqual({ start: proven[i]!.start, seconds: 900, importWh: proven[i]!.importWh, exportWh: proven[i]!.exportWh, salt: proven[i]!.salt });
      expect(hex(processProof(leafHash(meterId, leaf), proven[i]!.proof!))).toBe(handover.root);
    }
    expect(verifyLeaves(meterId, proven, market.root).every((c) => c.ok)).toBe(true);
  });

  it('a leaf changed by one Wh is refused by both', async () => {
    const changed = (await intervals(meterId, dayNo)).map((iv, k) => (k === 42 ? { ...iv, exportWh: iv.exportWh + 1n } : iv));
    await expect(buildSettlementProofs(window, async () => changed, async () => perMeter(handover.root))).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH'));
    const bad = verifyLeaves(meterId, toProvenIntervals(handover).map((iv, k) => (k === 42 ? { ...iv, exportWh: iv.exportWh + 1n } : iv)), handover.root);
    expect(bad.filter((c) => !c.ok)).toHaveLength(1);
  });
});

describe('settlement in a region: two levels', () => {
  // The seller's meter-day root proven under the region-day root (a Merkle path), its window's
  // intervals as a multiproof under that meter-day root.
  const REGION = hexlify(randomBytes(32));
  const d1 = day(20_000);
  const w = { meterId, deliveryStart: 20_000 * 86_400 + 10 * 3600, deliveryEnd: 20_000 * 86_400 + 11 * 3600 };
  const neighbours = Array.from({ length: 9 }, () => hexlify(randomBytes(32)));
  const part = new RegionPartition(20_000);
  const salt = hexlify(randomBytes(32));
  part.add(bytes(meterId), bytes(rootOf(d1)), 100n, 200n, bytes(salt));
  for (const n of neighbours) part.add(bytes(n), randomBytes(32), 5n, 6n, randomBytes(32));
  const tree = buildRegionTree(REGION, 20_000, [part]);
  const path = tree.path(meterId)!;
  const inRegion = async () => ({ regionId: REGION, root: tree.root });

  it("carries the meter-day leaf and its path, which StandardMerkleTree verifies under the region's root", async () => {
    const [p] = await buildSettlementProofs(w, async () => d1, inRegion, async () => path);
    expect(p!.region).toEqual({ regionId: REGION, meterDayRoot: rootOf(d1), importWh: 100n, exportWh: 200n, salt, path: path.path });
    const leaf = regionLeafValue({ meterId, day: 20_000, root: p!.region!.meterDayRoot, importWh: 100n, exportWh: 200n, salt });
    expect(StandardMerkleTree.verify(tree.root, [...REGION_LEAF_TYPES], leaf, [...p!.region!.path])).toBe(true);
    // 10 leaves: a complete tree of depth 3 or 4.
    expect([3, 4]).toContain(p!.region!.path.length);
  });

  it('builds without the chain (the contract checks both levels) and per meter without a region path', async () => {
    const [p] = await buildSettlementProofs(w, async () => d1, undefined, async () => path);
    expect(p!.region?.regionId).toBe(REGION);
    const [q] = await buildSettlementProofs(w, async () => d1, async () => ({ regionId: null, root: rootOf(d1) }), async () => path);
    expect(q!.region).toBeNull();
  });

  it('refuses a missing path, a path for another day or meter, and one that does not reach the anchored root', async () => {
    const missing = buildSettlementProofs(w, async () => d1, inRegion, async () => null);
    await expect(missing).rejects.toSatisfy((e) => isError(e, 'MARKET_INTERVALS_MISSING') && e.facts.missing === 'region path');
    const otherDay: RegionPath = { ...path, day: 20_001 };
    await expect(buildSettlementProofs(w, async () => d1, inRegion, async () => otherDay)).rejects.toSatisfy((e) => isError(e, 'MARKET_INTERVALS_MISSING'));
    const otherMeter: RegionPath = { ...path, meterId: neighbours[0]! };
    await expect(buildSettlementProofs(w, async () => d1, inRegion, async () => otherMeter)).rejects.toSatisfy((e) => isError(e, 'MARKET_INTERVALS_MISSING'));
    const wrongRoot = async () => ({ regionId: REGION, root: hexlify(randomBytes(32)) });
    await expect(buildSettlementProofs(w, async () => d1, wrongRoot, async () => path)).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH'));
    const otherRegion = async () => ({ regionId: hexlify(randomBytes(32)), root: tree.root });
    await expect(buildSettlementProofs(w, async () => d1, otherRegion, async () => path)).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH'));
    const changed = d1.map((iv, k) => (k === 3 ? { ...iv, exportWh: iv.exportWh + 1n } : iv));
    await expect(buildSettlementProofs(w, async () => changed, inRegion, async () => path)).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH'));
  });
});
