import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDayTree, standardDayTree } from '../../../main/ledger/tree/day-tree.js';
import { LEAF_TYPES, leafHash, leafValue, type SaltedInterval } from '../../../main/ledger/tree/interval-leaf.js';
import { processProof } from '../../../main/ledger/tree/merkle-proof.js';
import { hex } from '../../../main/ledger/verify/bytes.js';
import { verifyLeaves } from '../../../main/ledger/verify/leaf-proofs.js';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hex(b));
const interval = fc.record({
  start: fc.integer({ min: 0, max: 2 ** 40 }),
  seconds: fc.integer({ min: 1, max: 0xffff_ffff }),
  importWh: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  exportWh: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  salt: hex32,
});

describe('interval leaves', () => {
  it('hash exactly as StandardMerkleTree.leafHash does', () => {
    fc.assert(
      fc.property(hex32, interval, (meterId, iv) => {
        const tree = StandardMerkleTree.of([leafValue(meterId, iv)], [...LEAF_TYPES]);
        expect(hex(leafHash(meterId, iv))).toBe(tree.leafHash(leafValue(meterId, iv)));
      }),
      { numRuns: 200 },
    );
  });

  it('build the same root and proofs as StandardMerkleTree.of', () => {
    fc.assert(
      fc.property(hex32, fc.array(interval, { minLength: 1, maxLength: 100 }), (meterId, ivs) => {
        const fast = buildDayTree(meterId, ivs);
        const lib = standardDayTree(meterId, ivs);
        expect(fast.root).toBe(lib.root);
        ivs.forEach((_, i) => expect(fast.proof(i)).toEqual(lib.getProof(i)));
      }),
      { numRuns: 60 },
    );
  });

  it('refuse values outside their ABI type', () => {
    const iv: SaltedInterval = { start: 0, seconds: 900, importWh: 1n << 64n, exportWh: 0n, salt: '0x' + '00'.repeat(32) };
    expect(() => leafHash('0x' + '11'.repeat(32), iv)).toThrow(RangeError);
  });

  it('prove under the root with the fast verifier exactly when StandardMerkleTree.verify agrees', () => {
    fc.assert(
      fc.property(hex32, fc.array(interval, { minLength: 1, maxLength: 40 }), fc.nat(), (meterId, ivs, pick) => {
        const tree = buildDayTree(meterId, ivs);
        const i = pick % ivs.length;
        const proof = tree.proof(i);
        expect(StandardMerkleTree.verify(tree.root, [...LEAF_TYPES], leafValue(meterId, ivs[i]!), proof)).toBe(true);
        expect(hex(processProof(leafHash(meterId, ivs[i]!), proof))).toBe(tree.root);
        const changed = { ...ivs[i]!, importWh: ivs[i]!.importWh ^ 1n };
        expect(hex(processProof(leafHash(meterId, changed), proof))).not.toBe(tree.root);
      }),
      { numRuns: 100 },
    );
  });

  it('fail the leaves step for a changed value, salt, or another meter', () => {
    const meterId = '0x' + '22'.repeat(32);
    const ivs: SaltedInterval[] = Array.from({ length: 96 }, (_, k) => ({ start: k * 900, seconds: 900, importWh: BigInt(k), exportWh: 0n, salt: '0x' + k.toString(16).padStart(64, '0') }));
    const root = buildDayTree(meterId, ivs).root;
    expect(verifyLeaves(meterId, ivs, root).every((c) => c.ok)).toBe(true);
    const tampered = ivs.map((iv, k) => (k === 5 ? { ...iv, exportWh: 1n } : iv));
    const built = buildDayTree(meterId, ivs);
    const withProofs = ivs.map((iv, k) => ({ ...iv, proof: built.proof(k) }));
    const t = verifyLeaves(meterId, tampered.map((iv, k) => ({ ...iv, proof: withProofs[k]!.proof })), root);
    expect(t.filter((c) => !c.ok).map((c) => c.subject)).toEqual(['leaf 5 (01:15Z) → root']);
    expect(verifyLeaves('0x' + '23'.repeat(32), withProofs, root).some((c) => c.ok)).toBe(false);
  });
});
