import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, concat, getBytes, keccak256 as ethersKeccak256 } from 'ethers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAF_TYPES, leafValue, type SaltedInterval } from '../../../main/ledger/tree/interval-leaf.js';
import { REGION_LEAF_TYPES, regionLeafValue, type MeterDay } from '../../../main/ledger/tree/region-leaf.js';
import { hex } from '../../../main/ledger/verify/bytes.js';
import { keccakBackend, preferKeccak, ready } from '../../../main/ledger/verify/keccak.js';
import { bytes32, packPath, ProofVerifier, type IntervalProofBytes, type MeterDayProofBytes } from '../../../main/ledger/verify/proof-verifier.js';

// The fast verifier (bytes, reused buffers, no memo) against two straightforward references:
// OpenZeppelin's StandardMerkleTree.verify (the library the trees are defined by) and a
// textbook fold written here with ethers' ABI encoder and keccak over hex strings. Every random
// proof, faithful or tampered, must get the same answer from all three, on both keccak backends.

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hex(b));
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const interval = fc.record({
  start: fc.integer({ min: 0, max: 2 ** 40 }),
  seconds: fc.integer({ min: 1, max: 0xffff_ffff }),
  importWh: u64,
  exportWh: u64,
  salt: hex32,
});
const meterDayOf = (meterId: string) =>
  fc.record({ meterId: fc.constant(meterId), day: fc.integer({ min: 0, max: 0xffff_ffff }), root: hex32, importWh: u64, exportWh: u64, salt: hex32 });

const abi = AbiCoder.defaultAbiCoder();

/** The textbook fold: sort each pair as hex text, hash the concatenation. */
function referenceFold(leaf: string, proof: readonly string[]): string {
  return proof.reduce((node, s) => (node.toLowerCase() <= s.toLowerCase() ? ethersKeccak256(concat([node, s])) : ethersKeccak256(concat([s, node]))), leaf);
}
const referenceLeaf = (types: readonly string[], values: readonly unknown[]) => ethersKeccak256(ethersKeccak256(abi.encode(types, values)));

function intervalBytes(meterId: string, iv: SaltedInterval, proof: readonly string[]): IntervalProofBytes {
  return { meterId: bytes32(meterId), start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh, salt: bytes32(iv.salt), path: packPath(proof) };
}
function meterDayBytes(md: MeterDay, proof: readonly string[]): MeterDayProofBytes {
  return { meterId: bytes32(md.meterId), day: md.day, meterDayRoot: bytes32(md.root), importWh: md.importWh, exportWh: md.exportWh, salt: bytes32(md.salt), path: packPath(proof) };
}

/** One way to tamper with a proof: a flipped bit somewhere, a sibling dropped, added or swapped. */
type Tamper = { kind: 'none' } | { kind: 'flip-sibling' | 'flip-root' | 'drop' | 'extend' | 'value' | 'salt' | 'swap'; at: number };
const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constantFrom('flip-sibling' as const, 'flip-root' as const, 'drop' as const, 'extend' as const, 'value' as const, 'salt' as const, 'swap' as const), at: fc.nat() }),
);

function flip(h: string, at: number): string {
  const b = getBytes(h);
  b[at % 32]! ^= 1 << (at % 8);
  return hex(b);
}

function applyTamper<T extends { salt: string; importWh: bigint }>(t: Tamper, value: T, proof: string[], root: string): { value: T; proof: string[]; root: string } {
  const p = [...proof];
  switch (t.kind) {
    case 'none':
      return { value, proof: p, root };
    case 'flip-sibling':
      if (p.length) p[t.at % p.length] = flip(p[t.at % p.length]!, t.at >> 3);
      return { value, proof: p, root };
    case 'flip-root':
      return { value, proof: p, root: flip(root, t.at) };
    case 'drop':
      p.splice(t.at % Math.max(1, p.length), 1);
      return { value, proof: p, root };
    case 'extend':
      p.push(flip(root, t.at));
      return { value, proof: p, root };
    case 'value':
      return { value: { ...value, importWh: value.importWh ^ (1n << BigInt(t.at % 64)) }, proof: p, root };
    case 'salt':
      return { value: { ...value, salt: flip(value.salt, t.at) }, proof: p, root };
    case 'swap':
      if (p.length >= 2) {
        const i = t.at % (p.length - 1);
        [p[i], p[i + 1]] = [p[i + 1]!, p[i]!];
      }
      return { value, proof: p, root };
  }
}

for (const backend of ['wasm', 'noble'] as const) {
  describe(`the proof verifier over bytes (${backend} keccak)`, () => {
    beforeAll(async () => {
      expect(await ready()).toBe(true);
      preferKeccak(backend);
      expect(keccakBackend()).toBe(backend);
    });
    afterAll(() => preferKeccak('wasm'));

    it('agrees with StandardMerkleTree.verify and a textbook fold on random interval proofs, faithful and tampered', () => {
      const v = new ProofVerifier();
      let tampered = 0;
      let accepted = 0;
      fc.assert(
        fc.property(hex32, fc.array(interval, { minLength: 1, maxLength: 100 }), fc.nat(), tamper, (meterId, ivs, pick, t) => {
          const tree = StandardMerkleTree.of(ivs.map((iv) => leafValue(meterId, iv)), [...LEAF_TYPES]);
          const i = pick % ivs.length;
          const x = applyTamper(t, ivs[i]!, tree.getProof(i), tree.root);
          const library = StandardMerkleTree.verify(x.root, [...LEAF_TYPES], leafValue(meterId, x.value), x.proof);
          const textbook = referenceFold(referenceLeaf(LEAF_TYPES, leafValue(meterId, x.value)), x.proof) === x.root;
          const fast = v.verifyInterval(intervalBytes(meterId, x.value, x.proof), bytes32(x.root));
          expect(fast).toBe(library);
          expect(fast).toBe(textbook);
          if (t.kind !== 'none') tampered++;
          if (fast) accepted++;
        }),
        { numRuns: 300 },
      );
      // The run exercised both answers (a test that only ever says yes proves nothing).
      expect(tampered).toBeGreaterThan(100);
      expect(accepted).toBeGreaterThan(30);
    });

    it('agrees with StandardMerkleTree.verify on random meter-day paths in a region tree, faithful and tampered', () => {
      const v = new ProofVerifier();
      fc.assert(
        fc.property(
          hex32.chain((m) => fc.array(meterDayOf(m), { minLength: 1, maxLength: 60 }).map((mds) => mds.map((md, k) => ({ ...md, meterId: hex(getBytes(ethersKeccak256(concat([m, '0x' + k.toString(16).padStart(8, '0')])))) })))),
          fc.nat(),
          tamper,
          (mds, pick, t) => {
            const tree = StandardMerkleTree.of(mds.map(regionLeafValue), [...REGION_LEAF_TYPES]);
            const i = pick % mds.length;
            const x = applyTamper(t, mds[i]!, tree.getProof(i), tree.root);
            const library = StandardMerkleTree.verify(x.root, [...REGION_LEAF_TYPES], regionLeafValue(x.value), x.proof);
            const textbook = referenceFold(referenceLeaf(REGION_LEAF_TYPES, regionLeafValue(x.value)), x.proof) === x.root;
            const fast = v.verifyMeterDay(meterDayBytes(x.value, x.proof), bytes32(x.root));
            expect(fast).toBe(library);
            expect(fast).toBe(textbook);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('gives the same answers in any order with one verifier (no state carried from one proof to the next)', () => {
      const v = new ProofVerifier();
      const meterId = '0x' + '31'.repeat(32);
      const ivs = Array.from({ length: 96 }, (_, k): SaltedInterval => ({ start: k * 900, seconds: 900, importWh: BigInt(k * 7), exportWh: BigInt(k % 5), salt: hex(getBytes(ethersKeccak256('0x' + k.toString(16).padStart(2, '0')))) }));
      const tree = StandardMerkleTree.of(ivs.map((iv) => leafValue(meterId, iv)), [...LEAF_TYPES]);
      const root = bytes32(tree.root);
      const proofs = ivs.map((iv, k) => intervalBytes(meterId, iv, tree.getProof(k)));
      const bad = proofs.map((p) => ({ ...p, exportWh: p.exportWh + 1n }));
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(95), fc.boolean()), { minLength: 1, maxLength: 200 }), (order) => {
          for (const [k, good] of order) expect(v.verifyInterval(good ? proofs[k]! : bad[k]!, root)).toBe(good);
        }),
        { numRuns: 50 },
      );
    });

    it('refuses values outside their ABI types and paths that are not whole hashes', () => {
      const v = new ProofVerifier();
      const p = intervalBytes('0x' + '11'.repeat(32), { start: 0, seconds: 900, importWh: 1n, exportWh: 0n, salt: '0x' + '00'.repeat(32) }, []);
      expect(() => v.intervalRoot({ ...p, importWh: 1n << 64n })).toThrow(RangeError);
      expect(() => v.intervalRoot({ ...p, exportWh: -1n })).toThrow(RangeError);
      expect(() => v.intervalRoot({ ...p, seconds: 2 ** 32 })).toThrow(RangeError);
      expect(() => v.intervalRoot({ ...p, start: -1 })).toThrow(RangeError);
      expect(() => v.intervalRoot({ ...p, salt: new Uint8Array(31) })).toThrow(RangeError);
      expect(() => v.intervalRoot({ ...p, path: new Uint8Array(33) })).toThrow(RangeError);
      expect(() => packPath(['0x' + '11'.repeat(31)])).toThrow(RangeError);
      expect(() => bytes32('0xzz' + '11'.repeat(31))).toThrow(RangeError);
    });
  });
}
