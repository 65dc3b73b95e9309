import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { LEAF_TYPES, leafValue, type LeafValue, type SaltedInterval } from './interval-leaf.js';

export interface DayTree {
  readonly root: string;
  /** Proof (sibling hashes, leaf to root) for the interval at this index of the input list. */
  proof(index: number): string[];
}

/**
 * The day's tree, built with OpenZeppelin's StandardMerkleTree (see README.md beside this file).
 * Leaves are sorted by hash inside the tree; `proof(i)` maps back to the caller's order.
 */
export function buildDayTree(meterId: string, intervals: readonly SaltedInterval[]): DayTree {
  if (intervals.length === 0) throw new RangeError('a day tree needs at least one interval');
  const values = intervals.map((iv) => leafValue(meterId, iv));
  const tree = StandardMerkleTree.of<LeafValue>(values, [...LEAF_TYPES]);
  // StandardMerkleTree records each value's input position, so proof(i) finds it in O(1).
  return {
    root: tree.root,
    proof: (index) => tree.getProof(index),
  };
}
