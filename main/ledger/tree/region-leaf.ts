import { keccak256Twice } from '../verify/keccak.js';
import { hexInto } from '../../common/hex.js';

/**
 * One meter's day as a leaf of its region's day tree (LEDGER.md "At national scale: region
 * anchors"). The ABI types are the leaf encoding that the operator, the household's verifier and
 * EnergyMarket's on-chain settlement all agree on:
 *   (bytes32 meterId, uint32 day, bytes32 meterDayRoot, uint64 importWh, uint64 exportWh, bytes32 salt)
 * meterDayRoot is the root of the meter's interval tree for that day (interval-leaf.ts); the
 * totals are the day's sums of its intervals. StandardMerkleTree construction, as the interval
 * tree: leaf = keccak256(keccak256(abi.encode(values))), sorted pairs, so OpenZeppelin's
 * MerkleProof verifies a region path on chain.
 *
 * The salt (32 bytes per meter-day, known to the operator and the meter's owner) keeps a
 * household that is handed its region path from learning anything of its neighbours but sibling
 * hashes: without it, a sibling leaf of a known meter and day could be tested against guessed
 * totals once its day root leaked.
 */
export const REGION_LEAF_TYPES = ['bytes32', 'uint32', 'bytes32', 'uint64', 'uint64', 'bytes32'] as const;

/** A meter's day as its region tree holds it. Energy integers are bigint inside. */
export interface MeterDay {
  readonly meterId: string;
  readonly day: number;
  /** Root of the meter's interval tree for the day. */
  readonly root: string;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly salt: string;
}

export type RegionLeafValue = [string, number, string, bigint, bigint, string];

export function regionLeafValue(md: MeterDay): RegionLeafValue {
  return [md.meterId, md.day, md.root, md.importWh, md.exportWh, md.salt];
}

/** The meter-day back from its leaf values (as StandardMerkleTree hands them back). */
export function meterDayOfLeaf(value: readonly unknown[]): MeterDay {
  const int = (x: unknown): bigint => BigInt(x as bigint | number | string);
  return {
    meterId: String(value[0]),
    day: Number(int(value[1])),
    root: String(value[2]),
    importWh: int(value[3]),
    exportWh: int(value[4]),
    salt: String(value[5]),
  };
}

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffff;

/** abi.encode of the six static values: six 32-byte words, byte offsets of each word's value. */
export const REGION_LEAF_BYTES = 192;

/**
 * Writes abi.encode(meterId, day, root, importWh, exportWh, salt) into `out` (192 bytes) from
 * bytes. Only the value bytes of each word are written: a buffer reused for many leaves keeps its
 * zero padding (the caller starts from zeros). Throws RangeError for a value outside its type.
 */
export function encodeRegionLeaf(
  out: Uint8Array,
  meterId: Uint8Array,
  day: number,
  root: Uint8Array,
  importWh: bigint,
  exportWh: bigint,
  salt: Uint8Array,
): void {
  if (meterId.length !== 32 || root.length !== 32 || salt.length !== 32) throw new RangeError('bytes32 expected');
  if (!Number.isInteger(day) || day < 0 || day > U32_MAX) throw new RangeError(`day ${day} out of uint32 range`);
  if (importWh < 0n || importWh > U64_MAX || exportWh < 0n || exportWh > U64_MAX) {
    throw new RangeError('region leaf totals out of uint64 range');
  }
  const view = new DataView(out.buffer, out.byteOffset, REGION_LEAF_BYTES);
  out.set(meterId, 0);
  view.setUint32(60, day);
  out.set(root, 64);
  view.setBigUint64(120, importWh);
  view.setBigUint64(152, exportWh);
  out.set(salt, 160);
}

const encoded = new Uint8Array(REGION_LEAF_BYTES);

/** keccak256(keccak256(abi.encode(...))) from bytes: the operator's builder and the verifier's hot path. */
export function regionLeafHashOf(
  meterId: Uint8Array,
  day: number,
  root: Uint8Array,
  importWh: bigint,
  exportWh: bigint,
  salt: Uint8Array,
): Uint8Array {
  encodeRegionLeaf(encoded, meterId, day, root, importWh, exportWh, salt);
  return keccak256Twice(encoded);
}

const meterBytes = new Uint8Array(32);
const rootBytes = new Uint8Array(32);
const saltBytes = new Uint8Array(32);

/**
 * StandardMerkleTree.leafHash(REGION_LEAF_TYPES, regionLeafValue(md)), written out as the
 * interval leaf is (test/unit/ledger/region-leaf.test.ts holds them byte-equal).
 */
export function regionLeafHash(md: MeterDay): Uint8Array {
  if (!hexInto(md.meterId, meterBytes, 0, 32) || !hexInto(md.root, rootBytes, 0, 32) || !hexInto(md.salt, saltBytes, 0, 32)) {
    throw new RangeError('bytes32 expected');
  }
  return regionLeafHashOf(meterBytes, md.day, rootBytes, md.importWh, md.exportWh, saltBytes);
}
