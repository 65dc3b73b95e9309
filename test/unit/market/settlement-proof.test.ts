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

const meterId = hexlify(randomBytes(32));
function day(d: number): SaltedInterval[] {
  return Array.from({ length: 96 }, (_, k) => ({
    start: d * 86_400 + k * 900, seconds: 900, importWh: BigInt(k), exportWh: BigInt(2 * k), salt: hexlify(randomBytes(32)),
  }));
}
const rootOf = (ls: SaltedInterval[]): string => buildDayTree(meterId, ls).root;

describe('settlement multiproofs', () => {
  const d1 = day(20_000);
  const d2 = day(20_001);
  const w = { meterId, deliveryStart: 20_000 * 86_400 + 22 * 3600, deliveryEnd: 20_001 * 86_400 + 3600 };

  it('builds one multiproof per UTC day, covering exactly the window, that verifies against each root', async () => {
    expect(windowDays(w)).toEqual([20_000, 20_001]);
    const proofs = await buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1 : d2), async (_m, d) => rootOf(d === 20_000 ? d1 : d2));
    expect(proofs.map((p) => p.leaves.length)).toEqual([8, 4]);
    for (const p of proofs) {
      const root = rootOf(p.day === 20_000 ? d1 : d2);
      const leaves = p.leaves.map((l) => leafValue(meterId, l));
      expect(StandardMerkleTree.verifyMultiProof(root, [...LEAF_TYPES], { leaves, proof: [...p.proof], proofFlags: [...p.proofFlags] })).toBe(true);
      for (const l of p.leaves) expect(l.start >= w.deliveryStart && l.start < w.deliveryEnd).toBe(true);
    }
  });

  it('reports a root mismatch, a missing anchor and missing intervals as distinct errors', async () => {
    const wrong = buildSettlementProofs(w, async (_m, d) => (d === 20_000 ? d1 : d2), async () => rootOf(day(1)));
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
    const [proof] = await buildSettlementProofs(window, intervals, async () => handover.root);
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
    await expect(buildSettlementProofs(window, async () => changed, async () => handover.root)).rejects.toSatisfy((e) => isError(e, 'MARKET_PROOF_ROOT_MISMATCH'));
    const bad = verifyLeaves(meterId, toProvenIntervals(handover).map((iv, k) => (k === 42 ? { ...iv, exportWh: iv.exportWh + 1n } : iv)), handover.root);
    expect(bad.filter((c) => !c.ok)).toHaveLength(1);
  });
});
