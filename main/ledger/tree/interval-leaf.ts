import { keccak256Twice } from '../verify/keccak.js';
import { hexInto } from '../../common/hex.js';

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

/** The interval back from its leaf values (a multiproof hands its leaves back as values). */
export function intervalOfLeaf(value: readonly unknown[]): SaltedInterval {
  const int = (x: unknown): bigint => BigInt(x as bigint | number | string);
  return { start: Number(int(value[1])), seconds: Number(int(value[2])), importWh: int(value[3]), exportWh: int(value[4]), salt: String(value[5]) };
}

const U64_MAX = (1n << 64n) - 1n;

function putU64(view: DataView, offset: number, value: bigint): void {
  if (value < 0n || value > U64_MAX) throw new RangeError(`leaf value ${value} out of uint64 range`);
  view.setBigUint64(offset + 24, value);
}

function putNumber(view: DataView, offset: number, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new RangeError(`leaf value ${value} out of range`);
  view.setUint32(offset + 24, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 28, value >>> 0);
}

const encoded = new Uint8Array(192);
const view = new DataView(encoded.buffer);
let encodedMeter: string | null = null;

/**
 * StandardMerkleTree's leaf hash, keccak256(keccak256(abi.encode(values))), written out for the
 * six static types so verifying a year of proofs does not pay for a generic ABI encoder. All six
 * are static, so abi.encode is simply six 32-byte words. A unit test holds it byte-equal to
 * StandardMerkleTree.leafHash. (Double hashing: a leaf can never be confused with an inner node,
 * the second-preimage defence OpenZeppelin documents for MerkleProof.)
 */
export function leafHash(meterId: string, iv: SaltedInterval): Uint8Array {
  // One buffer for every leaf (keccak256 copies its input; the numeric words only ever have
  // their low 8 bytes written, so the rest stays zero); the meter id is decoded once per meter.
  if (meterId !== encodedMeter) {
    encodedMeter = null;
    if (!hexInto(meterId, encoded, 0, 32)) throw new RangeError('bytes32 expected');
    encodedMeter = meterId;
  }
  if (!hexInto(iv.salt, encoded, 160, 32)) throw new RangeError('bytes32 expected');
  putNumber(view, 32, iv.start, Number.MAX_SAFE_INTEGER);
  putNumber(view, 64, iv.seconds, 0xffff_ffff);
  putU64(view, 96, iv.importWh);
  putU64(view, 128, iv.exportWh);
  return keccak256Twice(encoded);
}
