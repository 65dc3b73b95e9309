import { keccak_256 } from '@noble/hashes/sha3.js';
import { hexToBytes } from '@noble/hashes/utils.js';

/**
 * One 15-minute interval as a Merkle leaf. The ABI types are the leaf encoding that the
 * operator, the household and EnergyMarket's on-chain settlement all agree on (LEDGER.md):
 *   (bytes32 meterId, uint64 intervalStart, uint32 seconds, uint64 importWh, uint64 exportWh, bytes32 salt)
 */
export const LEAF_TYPES = ['bytes32', 'uint64', 'uint32', 'uint64', 'uint64', 'bytes32'] as const;

/** Energy integers are bigint inside; the salt is 32 random bytes known to operator and owner. */
export interface SaltedInterval {
  readonly start: number;
  readonly seconds: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly salt: string;
}

export type LeafValue = [string, bigint, number, bigint, bigint, string];

export function leafValue(meterId: string, iv: SaltedInterval): LeafValue {
  return [meterId, BigInt(iv.start), iv.seconds, iv.importWh, iv.exportWh, iv.salt];
}

const U64_MAX = (1n << 64n) - 1n;

function word(value: bigint, max: bigint): Uint8Array {
  if (value < 0n || value > max) throw new RangeError(`leaf value ${value} out of range`);
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 31; v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function bytes32(hex: string): Uint8Array {
  const b = hexToBytes(hex.startsWith('0x') ? hex.slice(2) : hex);
  if (b.length !== 32) throw new RangeError('bytes32 expected');
  return b;
}

/**
 * StandardMerkleTree's leaf hash, keccak256(keccak256(abi.encode(values))), written out for the
 * six static types so verifying a year of proofs does not pay for a generic ABI encoder. All six
 * are static, so abi.encode is simply six 32-byte words. A unit test holds it byte-equal to
 * StandardMerkleTree.leafHash. (Double hashing: a leaf can never be confused with an inner node,
 * the second-preimage defence OpenZeppelin documents for MerkleProof.)
 */
export function leafHash(meterId: string, iv: SaltedInterval): Uint8Array {
  const encoded = new Uint8Array(192);
  encoded.set(bytes32(meterId), 0);
  encoded.set(word(BigInt(iv.start), U64_MAX), 32);
  encoded.set(word(BigInt(iv.seconds), 0xffff_ffffn), 64);
  encoded.set(word(iv.importWh, U64_MAX), 96);
  encoded.set(word(iv.exportWh, U64_MAX), 128);
  encoded.set(bytes32(iv.salt), 160);
  return keccak_256(keccak_256(encoded));
}
