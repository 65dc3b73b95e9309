import { WattletError } from '../../api/errors.js';
import { hexInto } from '../../common/hex.js';
import { hex } from '../verify/bytes.js';
import { keccak256Into } from '../verify/keccak.js';
import { encodeRegionLeaf, REGION_LEAF_BYTES } from './region-leaf.js';
import type { RegionPath } from './region-path.js';

/**
 * One meter-day as a partition keeps it, packed (no hex, no object per meter):
 *   meterId 32 | meterDayRoot 32 | importWh 8 | exportWh 8 | salt 32 | leaf hash 32
 */
export const REGION_RECORD_BYTES = 144;
const ROOT = 32;
const IMPORT = 64;
const EXPORT = 72;
const SALT = 80;
const HASH = 112;

/**
 * The meter-day leaves of some of a region's meters for one day: the map step of a region's
 * build. A partition is plain bytes, so a worker thread, another process or another machine (a
 * Spark or Flink task, docs/operator-at-scale.md) can build it and hand it over; any split of
 * the region's meters into partitions gives the same tree (`buildRegionTree` sorts the leaves by
 * hash, as StandardMerkleTree does), which test/unit/ledger/region-tree.test.ts holds.
 */
export class RegionPartition {
  #buf: Uint8Array;
  #view: DataView;
  #count = 0;
  readonly #leaf = new Uint8Array(REGION_LEAF_BYTES);
  readonly #once = new Uint8Array(32);

  constructor(
    readonly day: number,
    capacity = 1024,
  ) {
    this.#buf = new Uint8Array(Math.max(1, capacity) * REGION_RECORD_BYTES);
    this.#view = new DataView(this.#buf.buffer);
  }

  /**
   * A partition from its bytes (`bytes()` of one built elsewhere), adopted without a copy (a
   * million meters' records are 144 MB). The leaf hashes are taken as given: `buildRegionTree`
   * re-hashes nothing, so hand only partitions you built.
   */
  static of(day: number, records: Uint8Array): RegionPartition {
    if (records.length % REGION_RECORD_BYTES !== 0) throw new RangeError('not whole region records');
    const p = new RegionPartition(day, 1);
    p.#buf = records;
    p.#view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    p.#count = records.length / REGION_RECORD_BYTES;
    return p;
  }

  get count(): number {
    return this.#count;
  }

  /** Adds a meter's day: its leaf is hashed here (the partition's share of the work). */
  add(meterId: Uint8Array, meterDayRoot: Uint8Array, importWh: bigint, exportWh: bigint, salt: Uint8Array): void {
    encodeRegionLeaf(this.#leaf, meterId, this.day, meterDayRoot, importWh, exportWh, salt);
    if ((this.#count + 1) * REGION_RECORD_BYTES > this.#buf.length) this.#grow();
    const at = this.#count * REGION_RECORD_BYTES;
    const b = this.#buf;
    b.set(meterId, at);
    b.set(meterDayRoot, at + ROOT);
    this.#view.setBigUint64(at + IMPORT, importWh);
    this.#view.setBigUint64(at + EXPORT, exportWh);
    b.set(salt, at + SALT);
    keccak256Into(this.#leaf, this.#once);
    keccak256Into(this.#once, b.subarray(at + HASH, at + HASH + 32));
    this.#count++;
  }

  /** The records, `count` × REGION_RECORD_BYTES (a view of the partition's buffer). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#count * REGION_RECORD_BYTES);
  }

  #grow(): void {
    const next = new Uint8Array(Math.max(this.#buf.length * 2, REGION_RECORD_BYTES));
    next.set(this.#buf);
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

export interface RegionTree {
  readonly regionId: string;
  readonly day: number;
  readonly root: string;
  readonly meters: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  /** The tree as StandardMerkleTree lays it out: (2n − 1) nodes of 32 bytes, node 0 the root. */
  readonly nodes: Uint8Array;
  /** The records sorted by meter id (REGION_RECORD_BYTES each). */
  readonly records: Uint8Array;
  /** Node index of each record's leaf, in `records` order. */
  readonly treeIndex: Uint32Array;
  /** The household's region path; null when the meter is not in the tree. */
  path(meterId: string): RegionPath | null;
}

function compareAt(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  for (let k = 0; k < 32; k++) {
    const d = a[ai + k]! - b[bi + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Record indexes sorted by the 32 bytes at `offset` of each record (a 4-byte prefix decides almost always). */
function sortedBy(records: Uint8Array, n: number, offset: number): Uint32Array {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const prefix = new Uint32Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    prefix[i] = view.getUint32(i * REGION_RECORD_BYTES + offset);
    order[i] = i;
  }
  return order.sort((a, b) => {
    const d = prefix[a]! - prefix[b]!;
    return d !== 0 ? d : compareAt(records, a * REGION_RECORD_BYTES + offset, records, b * REGION_RECORD_BYTES + offset);
  });
}

/**
 * The reduce step: one region-day tree from partitions of its meters, in StandardMerkleTree's v1
 * construction (leaves sorted by hash, laid out right to left at the end of a 2n − 1 array, inner
 * node i = keccak256 of its children in ascending order; OpenZeppelin merkle-tree core.ts), so
 * the on-chain MerkleProof and the household's verifier accept its paths. Pure: the same meters
 * give the same root however they were partitioned. A meter twice (in one partition or two) is
 * refused: its two leaves could carry two different days' records under one anchor.
 */
export function buildRegionTree(regionId: string, day: number, partitions: readonly RegionPartition[]): RegionTree {
  for (const p of partitions) if (p.day !== day) throw new RangeError(`a partition of day ${p.day} in the tree of day ${day}`);
  const n = partitions.reduce((s, p) => s + p.count, 0);
  if (n === 0) throw new WattletError('LEDGER_REGION_EMPTY', 'A region tree needs at least one meter', { regionId, day });
  if (2 * n - 1 > 0xffff_ffff) throw new RangeError('too many meters for one tree');
  const records = new Uint8Array(n * REGION_RECORD_BYTES);
  let at = 0;
  for (const p of partitions) {
    records.set(p.bytes(), at);
    at += p.bytes().length;
  }

  const byMeter = sortedBy(records, n, 0);
  for (let i = 1; i < n; i++) {
    const a = byMeter[i - 1]! * REGION_RECORD_BYTES;
    if (compareAt(records, a, records, byMeter[i]! * REGION_RECORD_BYTES) === 0) {
      throw new WattletError('LEDGER_REGION_DUPLICATE_METER', 'A meter appears twice in the region tree', {
        regionId,
        day,
        meterId: hex(records.subarray(a, a + 32)),
      });
    }
  }
  permuteInPlace(records, byMeter);

  const view = new DataView(records.buffer);
  let importWh = 0n;
  let exportWh = 0n;
  for (let i = 0; i < n; i++) {
    importWh += view.getBigUint64(i * REGION_RECORD_BYTES + IMPORT);
    exportWh += view.getBigUint64(i * REGION_RECORD_BYTES + EXPORT);
  }

  const size = 2 * n - 1;
  const nodes = new Uint8Array(size * 32);
  const treeIndex = new Uint32Array(n);
  const byHash = sortedBy(records, n, HASH);
  for (let leaf = 0; leaf < n; leaf++) {
    const r = byHash[leaf]!;
    const node = size - 1 - leaf;
    nodes.set(records.subarray(r * REGION_RECORD_BYTES + HASH, r * REGION_RECORD_BYTES + HASH + 32), node * 32);
    treeIndex[r] = node;
  }
  const pair = new Uint8Array(64);
  for (let i = size - 1 - n; i >= 0; i--) {
    const l = (2 * i + 1) * 32;
    const r = (2 * i + 2) * 32;
    const lo = compareAt(nodes, l, nodes, r) <= 0;
    pair.set(nodes.subarray(lo ? l : r, (lo ? l : r) + 32), 0);
    pair.set(nodes.subarray(lo ? r : l, (lo ? r : l) + 32), 32);
    keccak256Into(pair, nodes.subarray(i * 32, i * 32 + 32));
  }

  const root = hex(nodes.subarray(0, 32));
  const rid = regionId.toLowerCase();
  const wanted = new Uint8Array(32);
  return {
    regionId: rid,
    day,
    root,
    meters: n,
    importWh,
    exportWh,
    nodes,
    records,
    treeIndex,
    path(meterId) {
      if (!hexInto(meterId, wanted, 0, 32)) return null;
      const i = findRecord(records, n, wanted);
      if (i < 0) return null;
      return regionPathOf({ regionId: rid, day, root, meters: n, records, index: i, treeIndex: treeIndex[i]!, node: (k) => nodes.subarray(k * 32, k * 32 + 32) });
    },
  };
}

/**
 * Reorders the records so that position i holds the record that was at `order[i]`, following
 * each cycle of the permutation with one record of scratch space: no second copy of a region's
 * records (144 MB for a million meters).
 */
function permuteInPlace(records: Uint8Array, order: Uint32Array): void {
  const R = REGION_RECORD_BYTES;
  const done = new Uint8Array(order.length);
  const tmp = new Uint8Array(R);
  for (let start = 0; start < order.length; start++) {
    if (done[start] || order[start] === start) continue;
    tmp.set(records.subarray(start * R, start * R + R));
    let j = start;
    for (;;) {
      done[j] = 1;
      const k = order[j]!;
      if (k === start) {
        records.set(tmp, j * R);
        break;
      }
      records.copyWithin(j * R, k * R, k * R + R);
      j = k;
    }
  }
}

/** Binary search of records sorted by meter id; −1 when absent. */
export function findRecord(records: Uint8Array, n: number, meterId: Uint8Array): number {
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = compareAt(records, mid * REGION_RECORD_BYTES, meterId, 0);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Node indexes of a leaf's siblings, leaf to root (StandardMerkleTree's array layout). */
export function siblingIndexes(treeIndex: number): number[] {
  const out: number[] = [];
  let i = treeIndex;
  while (i > 0) {
    out.push(i % 2 === 1 ? i + 1 : i - 1);
    i = (i - 1) >>> 1;
  }
  return out;
}

/** The household's file for one record of a built tree (or a store that reads nodes from disk). */
export function regionPathOf(args: {
  regionId: string;
  day: number;
  root: string;
  meters: number;
  records: Uint8Array;
  index: number;
  treeIndex: number;
  node: (k: number) => Uint8Array;
}): RegionPath {
  const at = args.index * REGION_RECORD_BYTES;
  const r = args.records;
  const view = new DataView(r.buffer, r.byteOffset, r.byteLength);
  return {
    format: 'wattlet.region-path/1',
    regionId: args.regionId,
    day: args.day,
    regionRoot: args.root,
    meters: args.meters,
    meterId: hex(r.subarray(at, at + 32)),
    meterDayRoot: hex(r.subarray(at + ROOT, at + ROOT + 32)),
    importWh: view.getBigUint64(at + IMPORT).toString(),
    exportWh: view.getBigUint64(at + EXPORT).toString(),
    salt: hex(r.subarray(at + SALT, at + SALT + 32)),
    path: siblingIndexes(args.treeIndex).map((k) => hex(args.node(k))),
  };
}
