import { hex } from '../verify/bytes.js';
import { keccak256 } from '../verify/keccak.js';
import { hexInto } from '../../common/hex.js';

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function same32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Inner nodes already computed, by sibling: the 96 proofs of a day's tree walk its 95 inner nodes
 * 672 times, so checking a day (or a year) of proofs one by one would hash the upper nodes over
 * and over. An entry is used only when both inputs are the same bytes (the sibling's exact text is
 * the key, the other is compared in full), so the result is exactly keccak256 of the sorted pair:
 * a memo of a pure function, no shortcut in what is proven. Copies are kept, so no caller can
 * change an entry; the map is emptied when it reaches MEMO_LIMIT (a few days of trees).
 */
const memo = new Map<string, { readonly node: Uint8Array; readonly parent: Uint8Array }>();
const MEMO_LIMIT = 4096;

/**
 * OpenZeppelin MerkleProof.processProof: fold the sibling hashes upwards, each pair sorted
 * before hashing (commutative keccak), exactly as StandardMerkleTree builds its nodes.
 */
export function processProof(leaf: Uint8Array, proof: readonly string[]): Uint8Array {
  let node = leaf;
  const pair = new Uint8Array(64);
  const s = new Uint8Array(32);
  for (const sibling of proof) {
    const known = memo.get(sibling);
    if (known && node.length === 32 && same32(known.node, node)) {
      node = known.parent;
      continue;
    }
    if (!hexInto(sibling, s, 0, 32)) return new Uint8Array(32); // a malformed sibling proves nothing
    if (compare(node, s) <= 0) {
      pair.set(node, 0);
      pair.set(s, 32);
    } else {
      pair.set(s, 0);
      pair.set(node, 32);
    }
    const child = node;
    node = keccak256(pair);
    if (child.length === 32) {
      // Both ways round: the sibling's own proof (the other leaf of a pair) starts with this node.
      if (memo.size >= MEMO_LIMIT) memo.clear();
      const parent = node.slice();
      memo.set(sibling, { node: child.slice(), parent });
      memo.set(hex(child), { node: s.slice(), parent });
    }
  }
  return node === leaf ? node : node.slice();
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
