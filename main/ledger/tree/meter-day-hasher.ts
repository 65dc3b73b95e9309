import { keccak256Into } from '../verify/keccak.js';

/** abi.encode of an interval leaf's six static values: six 32-byte words. */
const LEAF_BYTES = 192;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * One meter's day as columns, the way an operator's meter-data export or the bench's generator
 * holds it (the starts and lengths are the same for every meter of a day, so they are shared);
 * energies are whole Wh below 2^53 (a quarter-hour of any household or substation is far below
 * that), salts 32 bytes each, back to back.
 */
export interface MeterDayColumns {
  readonly meterId: Uint8Array;
  readonly count: number;
  readonly starts: ArrayLike<number>;
  readonly seconds: ArrayLike<number>;
  readonly importWh: ArrayLike<number>;
  readonly exportWh: ArrayLike<number>;
  readonly salts: Uint8Array;
}

/** 32 bytes from `src` at `from` to `dst` at `to`: a plain loop, no view object (subarray) per call. */
function copy32(src: Uint8Array, from: number, dst: Uint8Array, to: number): void {
  for (let k = 0; k < 32; k++) dst[to + k] = src[from + k]!;
}

function writeWord(view: DataView, offset: number, value: number): void {
  // The low 8 bytes of the word; the high 24 stay zero in the reused buffer.
  view.setUint32(offset + 24, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 28, value >>> 0);
}

/**
 * The meter-day root (the interval tree's root, tree/day-tree.ts) of many meters, one after
 * another, over bytes: the operator's build at scale and `npm run bench:anchor`. Nothing is
 * allocated per meter or per leaf but what the keccak itself returns (hash-wasm's digest): one
 * leaf buffer, one buffer of the day's nodes, one index array. The construction is the one
 * `buildDayTree` writes out (StandardMerkleTree v1: double-hashed ABI leaves, sorted by hash, laid
 * out right to left, sorted pairs), and test/unit/ledger/meter-day-hasher.test.ts holds every root
 * equal to it. Not re-entrant: one hasher per thread.
 */
export class MeterDayHasher {
  #nodes: Uint8Array;
  #order: Uint32Array;
  #prefix: Uint32Array;
  #hashes: Uint8Array;
  readonly #leaf = new Uint8Array(LEAF_BYTES);
  readonly #view = new DataView(this.#leaf.buffer);
  readonly #once = new Uint8Array(32);
  readonly #digest = new Uint8Array(32);
  readonly #pair = new Uint8Array(64);
  #capacity = 0;

  constructor(capacity = 96) {
    this.#nodes = new Uint8Array(0);
    this.#order = new Uint32Array(0);
    this.#prefix = new Uint32Array(0);
    this.#hashes = new Uint8Array(0);
    this.#ensure(capacity);
  }

  #ensure(n: number): void {
    if (n <= this.#capacity) return;
    this.#capacity = n;
    this.#nodes = new Uint8Array((2 * n - 1) * 32);
    this.#order = new Uint32Array(n);
    this.#prefix = new Uint32Array(n);
    this.#hashes = new Uint8Array(n * 32);
  }

  /** Writes the day's root into `out` (32 bytes). Throws RangeError for a value outside its ABI type. */
  root(day: MeterDayColumns, out: Uint8Array): void {
    const n = day.count;
    if (n < 1) throw new RangeError('a day tree needs at least one interval');
    if (day.meterId.length !== 32 || day.salts.length < n * 32) throw new RangeError('bytes32 expected');
    this.#ensure(n);
    const leaf = this.#leaf;
    const view = this.#view;
    copy32(day.meterId, 0, leaf, 0);
    const hashes = this.#hashes;
    const prefix = this.#prefix;
    const order = this.#order;
    for (let i = 0; i < n; i++) {
      const imp = day.importWh[i]!;
      const exp = day.exportWh[i]!;
      const start = day.starts[i]!;
      const seconds = day.seconds[i]!;
      if (!(imp >= 0 && imp <= MAX_SAFE && Number.isInteger(imp) && exp >= 0 && exp <= MAX_SAFE && Number.isInteger(exp))) {
        throw new RangeError(`interval ${i}: energy out of range`);
      }
      if (!(start >= 0 && start <= MAX_SAFE && Number.isInteger(start) && seconds >= 1 && seconds <= 0xffff_ffff && Number.isInteger(seconds))) {
        throw new RangeError(`interval ${i}: start or length out of range`);
      }
      writeWord(view, 32, start);
      writeWord(view, 64, seconds);
      writeWord(view, 96, imp);
      writeWord(view, 128, exp);
      copy32(day.salts, i * 32, leaf, 160);
      keccak256Into(leaf, this.#once);
      const h = this.#digest;
      keccak256Into(this.#once, h);
      copy32(h, 0, hashes, i * 32);
      prefix[i] = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
      order[i] = i;
    }
    const sorted = order.subarray(0, n).sort((a, b) => {
      const d = prefix[a]! - prefix[b]!;
      if (d !== 0) return d;
      for (let k = 4; k < 32; k++) {
        const e = hashes[a * 32 + k]! - hashes[b * 32 + k]!;
        if (e !== 0) return e;
      }
      return 0;
    });
    const size = 2 * n - 1;
    const nodes = this.#nodes;
    for (let k = 0; k < n; k++) copy32(hashes, sorted[k]! * 32, nodes, (size - 1 - k) * 32);
    const pair = this.#pair;
    for (let i = size - 1 - n; i >= 0; i--) {
      const l = (2 * i + 1) * 32;
      const r = l + 32;
      let lo = true;
      for (let k = 0; k < 32; k++) {
        const d = nodes[l + k]! - nodes[r + k]!;
        if (d !== 0) {
          lo = d < 0;
          break;
        }
      }
      copy32(nodes, lo ? l : r, pair, 0);
      copy32(nodes, lo ? r : l, pair, 32);
      keccak256Into(pair, this.#digest);
      copy32(this.#digest, 0, nodes, i * 32);
    }
    copy32(nodes, 0, out, 0);
  }
}
