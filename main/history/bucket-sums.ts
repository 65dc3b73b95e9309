/** One roll-up bucket being accumulated (signed: a late reading subtracts the pair it splits). */
export interface BucketSums {
  importWh: number;
  exportWh: number;
  coveredMs: number;
  samples: number;
}

/**
 * The buckets of one roll-up level touched by a batch, keyed by bucket start. Readings mostly
 * arrive in time order, so a bucket is either later than any held (appended to two arrays, no
 * hashing: a Map of millisecond keys cost a tenth of ingest) or one of the last two. Any other
 * (a late reading, an import out of order) is found through an index built the first time one
 * is needed.
 */
export class BucketList implements Iterable<[number, BucketSums]> {
  readonly #starts: number[] = [];
  readonly #sums: BucketSums[] = [];
  #index: Map<number, number> | null = null;
  /** The latest start held: anything later is new without looking. */
  #max = -Infinity;

  get size(): number {
    return this.#starts.length;
  }

  /** The sums of the bucket starting at `start`, created empty if new. */
  get(start: number): BucketSums {
    const starts = this.#starts;
    const n = starts.length;
    if (start <= this.#max) {
      // Held already, most often as one of the last two (a pair spanning a boundary).
      if (starts[n - 1] === start) return this.#sums[n - 1]!;
      if (n > 1 && starts[n - 2] === start) return this.#sums[n - 2]!;
      const k = (this.#index ?? this.#buildIndex()).get(start);
      if (k !== undefined) return this.#sums[k]!;
    } else this.#max = start;
    const sums: BucketSums = { importWh: 0, exportWh: 0, coveredMs: 0, samples: 0 };
    this.#index?.set(start, n);
    starts.push(start);
    this.#sums.push(sums);
    return sums;
  }

  #buildIndex(): Map<number, number> {
    const index = new Map<number, number>();
    this.#starts.forEach((s, k) => index.set(s, k));
    this.#index = index;
    return index;
  }

  /** Bucket starts, in the order the buckets were first asked for. */
  keys(): readonly number[] {
    return this.#starts;
  }

  *[Symbol.iterator](): Iterator<[number, BucketSums]> {
    for (let k = 0; k < this.#starts.length; k++) yield [this.#starts[k]!, this.#sums[k]!];
  }

  /** Calls fn for every bucket without allocating an entry per bucket (the flush loop). */
  forEach(fn: (start: number, sums: BucketSums) => void): void {
    for (let k = 0; k < this.#starts.length; k++) fn(this.#starts[k]!, this.#sums[k]!);
  }

  clear(): void {
    this.#starts.length = 0;
    this.#sums.length = 0;
    this.#index = null;
    this.#max = -Infinity;
  }
}
