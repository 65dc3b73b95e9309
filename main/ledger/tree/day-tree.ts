import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hex } from '../verify/bytes.js';
import { keccak256 } from '../verify/keccak.js';
import { LEAF_TYPES, leafHash, leafValue, type LeafValue, type SaltedInterval } from './interval-leaf.js';

export interface DayTree {
  readonly root: string;
  /** Proof (sibling hashes, leaf to root) for the interval at this index of the input list. */
  proof(index: number): string[];
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** One buffer for every pair: keccak256 copies its input and returns new bytes. */
const pair = new Uint8Array(64);

function nodeHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  const lo = compare(a, b) <= 0;
  pair.set(lo ? a : b, 0);
  pair.set(lo ? b : a, 32);
  return keccak256(pair);
}

/**
 * The day's tree in StandardMerkleTree's exact v1 construction (see README.md beside this file):
 * leaves sorted by hash, laid out right to left at the end of a 2n−1 array (OpenZeppelin
 * merkle-tree core.makeMerkleTree), inner node i = sortedPairHash(2i+1, 2i+2). Written out because
 * the library spends ~140 ms per 96-leaf tree and ~0.7 ms per proof (it re-validates each), which
 * is a minute for a year; test/unit/ledger/interval-leaf.test.ts holds root and every proof
 * byte-equal to StandardMerkleTree.of(...).
 */
export function buildDayTree(meterId: string, intervals: readonly SaltedInterval[]): DayTree {
  const n = intervals.length;
  if (n === 0) throw new RangeError('a day tree needs at least one interval');
  const hashed = intervals.map((iv, valueIndex) => ({ valueIndex, hash: leafHash(meterId, iv) }));
  hashed.sort((a, b) => compare(a.hash, b.hash));
  const tree: Uint8Array[] = new Array<Uint8Array>(2 * n - 1);
  const treeIndex = new Array<number>(n);
  hashed.forEach((h, leafIndex) => {
    tree[tree.length - 1 - leafIndex] = h.hash;
    treeIndex[h.valueIndex] = tree.length - 1 - leafIndex;
  });
  for (let i = tree.length - 1 - n; i >= 0; i--) tree[i] = nodeHash(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return {
    root: hex(tree[0]!),
    proof(index) {
      let i = treeIndex[index];
      if (i === undefined) throw new RangeError(`no interval ${index}`);
      const proof: string[] = [];
      while (i > 0) {
        proof.push(hex(tree[i % 2 === 1 ? i + 1 : i - 1]!));
        i = Math.floor((i - 1) / 2);
      }
      return proof;
    },
  };
}

/** The same tree as the library object, for interop (`dump()`, `render()`) where speed does not matter. */
export function standardDayTree(meterId: string, intervals: readonly SaltedInterval[]): StandardMerkleTree<LeafValue> {
  return StandardMerkleTree.of<LeafValue>(intervals.map((iv) => leafValue(meterId, iv)), [...LEAF_TYPES]);
}
