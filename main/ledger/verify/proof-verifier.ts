import { hexInto } from '../../common/hex.js';
import { encodeRegionLeaf, REGION_LEAF_BYTES } from '../tree/region-leaf.js';
import { keccak256Into } from './keccak.js';

/** keccak256 of `data` into `out` (32 bytes). verify/keccak.ts's `keccak256Into` unless a test or bench hands another. */
export type Keccak256Into = (data: Uint8Array, out: Uint8Array) => void;

/**
 * One interval's proof as bytes, decoded once when it was received (`packPath`, `bytes32`): the
 * leaf values of (bytes32 meterId, uint64 intervalStart, uint32 seconds, uint64 importWh,
 * uint64 exportWh, bytes32 salt) and the sibling hashes from the leaf up to the meter-day root.
 */
export interface IntervalProofBytes {
  readonly meterId: Uint8Array;
  readonly start: number;
  readonly seconds: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly salt: Uint8Array;
  /** Sibling hashes, leaf to root, 32 bytes each, back to back. */
  readonly path: Uint8Array;
}

/**
 * A meter-day's place in its region's day tree as bytes: the leaf values of (bytes32 meterId,
 * uint32 day, bytes32 meterDayRoot, uint64 importWh, uint64 exportWh, bytes32 salt)
 * (tree/region-leaf.ts) and the sibling hashes up to the region-day root.
 */
export interface MeterDayProofBytes {
  readonly meterId: Uint8Array;
  readonly day: number;
  readonly meterDayRoot: Uint8Array;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly salt: Uint8Array;
  readonly path: Uint8Array;
}

const U64_MAX = (1n << 64n) - 1n;
/** Both leaves are six static ABI words: abi.encode is 6 × 32 bytes. */
const LEAF_BYTES = 192;
if (REGION_LEAF_BYTES !== LEAF_BYTES) throw new Error('region leaf is not six ABI words');

/**
 * Merkle proofs checked over bytes, in any order, with nothing allocated per proof but what the
 * hash itself returns (hash-wasm's digest is a new array; noble's is written in place): one leaf
 * buffer, one pair buffer and one node buffer, reused. The construction is StandardMerkleTree's
 * (OpenZeppelin merkle-tree v1, see ../tree/README.md): leaf = keccak256(keccak256(abi.encode(values))),
 * inner node = keccak256 of the two children in ascending byte order, which is what OpenZeppelin's
 * MerkleProof.processProof folds. No memo: every proof is hashed in full, so the rate does not
 * depend on the order proofs come in (`npm run bench:verify` measures both orders);
 * test/unit/ledger/verify-proof-verifier.test.ts holds every answer equal to the library's on
 * random and tampered inputs.
 *
 * Not re-entrant (one set of buffers): one verifier per caller, as verify-day builds one per day.
 */
export class ProofVerifier {
  readonly #hash: Keccak256Into;
  readonly #leaf = new Uint8Array(LEAF_BYTES);
  readonly #view = new DataView(this.#leaf.buffer);
  readonly #pair = new Uint8Array(64);
  readonly #node = new Uint8Array(32);

  constructor(hash: Keccak256Into = keccak256Into) {
    this.#hash = hash;
  }

  /**
   * The meter-day root this interval's path leads to. The returned array is the verifier's own
   * node buffer: read it before the next call.
   */
  intervalRoot(p: IntervalProofBytes): Uint8Array {
    this.#intervalLeaf(p);
    return this.fold(p.path);
  }

  /** Whether the interval is under `root` (the meter-day root). */
  verifyInterval(p: IntervalProofBytes, root: Uint8Array): boolean {
    return equal32(this.intervalRoot(p), root);
  }

  /** The region-day root this meter-day's path leads to (the verifier's node buffer, as above). */
  regionRoot(p: MeterDayProofBytes): Uint8Array {
    const leaf = this.#leaf;
    leaf.fill(0); // encodeRegionLeaf writes value bytes only; the interval leaf left its own there
    encodeRegionLeaf(leaf, p.meterId, p.day, p.meterDayRoot, p.importWh, p.exportWh, p.salt);
    this.#hash(leaf, this.#node);
    this.#hash(this.#node, this.#node);
    return this.fold(p.path);
  }

  /** Whether the meter-day leaf is under `root` (the region-day root). */
  verifyMeterDay(p: MeterDayProofBytes, root: Uint8Array): boolean {
    return equal32(this.regionRoot(p), root);
  }

  /**
   * Folds sibling hashes onto the current node (the last leaf hashed, or `start` when given):
   * OpenZeppelin MerkleProof.processProof, each pair sorted before hashing.
   */
  fold(path: Uint8Array, start?: Uint8Array): Uint8Array {
    if (path.length % 32 !== 0) throw new RangeError(`a Merkle path is whole 32-byte hashes, not ${path.length} bytes`);
    const node = this.#node;
    const pair = this.#pair;
    if (start) {
      if (start.length !== 32) throw new RangeError('a Merkle node is 32 bytes');
      node.set(start);
    }
    for (let o = 0; o < path.length; o += 32) {
      // Sorted pair: the smaller 32-byte string first (OpenZeppelin Hashes.commutativeKeccak256).
      let lower = true;
      for (let i = 0; i < 32; i++) {
        const d = node[i]! - path[o + i]!;
        if (d !== 0) {
          lower = d < 0;
          break;
        }
      }
      const n = lower ? 0 : 32;
      const s = lower ? 32 : 0;
      for (let i = 0; i < 32; i++) {
        pair[n + i] = node[i]!;
        pair[s + i] = path[o + i]!;
      }
      this.#hash(pair, node);
    }
    return node;
  }

  /** keccak256(keccak256(abi.encode(meterId, start, seconds, importWh, exportWh, salt))) into the node buffer. */
  #intervalLeaf(p: IntervalProofBytes): void {
    const b = this.#leaf;
    const v = this.#view;
    if (p.meterId.length !== 32 || p.salt.length !== 32) throw new RangeError('bytes32 expected');
    if (!Number.isSafeInteger(p.start) || p.start < 0) throw new RangeError(`interval start ${p.start} out of uint64 range`);
    if (!Number.isInteger(p.seconds) || p.seconds < 0 || p.seconds > 0xffff_ffff) throw new RangeError(`interval seconds ${p.seconds} out of uint32 range`);
    if (p.importWh < 0n || p.importWh > U64_MAX || p.exportWh < 0n || p.exportWh > U64_MAX) throw new RangeError('interval energy out of uint64 range');
    // Six static ABI words; only each word's value bytes are written, the padding is zeroed here
    // (the same buffer also holds region leaves, whose words differ).
    b.fill(0);
    b.set(p.meterId, 0);
    v.setUint32(56, Math.floor(p.start / 2 ** 32));
    v.setUint32(60, p.start >>> 0);
    v.setUint32(92, p.seconds);
    v.setBigUint64(120, p.importWh);
    v.setBigUint64(152, p.exportWh);
    b.set(p.salt, 160);
    this.#hash(b, this.#node);
    this.#hash(this.#node, this.#node);
  }
}

/** Constant-length compare of two 32-byte hashes. */
export function equal32(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== 32 || b.length !== 32) return false;
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** A bytes32 hex string as 32 bytes; RangeError for anything else. */
export function bytes32(text: string): Uint8Array {
  const out = new Uint8Array(32);
  if (!hexInto(text, out, 0, 32)) throw new RangeError(`bytes32 expected: ${text.slice(0, 20)}`);
  return out;
}

/** A proof's sibling hashes (hex, as JSON carries them) as one array of 32-byte hashes; RangeError for a malformed one. */
export function packPath(siblings: readonly string[]): Uint8Array {
  const out = new Uint8Array(siblings.length * 32);
  siblings.forEach((s, k) => {
    if (!hexInto(s, out, k * 32, 32)) throw new RangeError(`sibling ${k} is not a bytes32 hash`);
  });
  return out;
}
