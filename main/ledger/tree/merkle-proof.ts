import { keccak_256 } from '@noble/hashes/sha3.js';
import { hexInto } from './hex-into.js';

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * OpenZeppelin MerkleProof.processProof: fold the sibling hashes upwards, each pair sorted
 * before hashing (commutative keccak), exactly as StandardMerkleTree builds its nodes.
 */
export function processProof(leaf: Uint8Array, proof: readonly string[]): Uint8Array {
  let node = leaf;
  const pair = new Uint8Array(64);
  const s = new Uint8Array(32);
  for (const sibling of proof) {
    if (!hexInto(sibling, s, 0, 32)) return new Uint8Array(32); // a malformed sibling proves nothing
    if (compare(node, s) <= 0) {
      pair.set(node, 0);
      pair.set(s, 32);
    } else {
      pair.set(s, 0);
      pair.set(node, 32);
    }
    node = keccak_256(pair);
  }
  return node;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
