import { describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hexlify, randomBytes } from 'ethers';
import { buildSettlementProofs, windowDays } from '../../../main/market/settlement-proof.js';
import { LEAF_ENCODING, leafValues, type IntervalLeaf, type LeafValues } from '../../../main/market/interval-leaf.js';
import { isError } from '../../../main/api/errors.js';

const meterId = hexlify(randomBytes(32));
function day(d: number): IntervalLeaf[] {
  return Array.from({ length: 96 }, (_, k) => ({
    meterId, intervalStart: d * 86_400 + k * 900, seconds: 900, importWh: k, exportWh: 2 * k, salt: hexlify(randomBytes(32)),
  }));
}
const rootOf = (ls: IntervalLeaf[]): string => StandardMerkleTree.of<LeafValues>(ls.map(leafValues), LEAF_ENCODING).root;

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
      expect(StandardMerkleTree.verifyMultiProof(root, LEAF_ENCODING, { leaves: p.leaves.map(leafValues), proof: [...p.proof], proofFlags: [...p.proofFlags] })).toBe(true);
      for (const l of p.leaves) expect(l.intervalStart >= w.deliveryStart && l.intervalStart < w.deliveryEnd).toBe(true);
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
