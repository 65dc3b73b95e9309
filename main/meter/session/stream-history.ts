/**
 * The last bytes of a received stream, addressed by absolute stream offset (as decoders report
 * frame positions), so a decoded frame's own bytes can be published without the decoder keeping them.
 */
export class StreamHistory {
  readonly #buf: Uint8Array;
  #end = 0; // absolute offset one past the last byte appended

  constructor(readonly capacity = 16 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  get end(): number {
    return this.#end;
  }

  append(chunk: Uint8Array): void {
    const cap = this.capacity;
    // Only the last `capacity` bytes of a long chunk can still be held.
    const keep = chunk.length > cap ? chunk.subarray(chunk.length - cap) : chunk;
    const end = this.#end + (chunk.length - keep.length);
    const at = end % cap;
    const first = Math.min(keep.length, cap - at);
    this.#buf.set(keep.subarray(0, first), at);
    if (first < keep.length) this.#buf.set(keep.subarray(first), 0);
    this.#end = end + keep.length;
  }

  /** A new stream starts at offset 0 (a new decoder, a new connection). */
  reset(): void {
    this.#end = 0;
  }

  /** The bytes at [offset, offset + length) that are still held (older ones were overwritten). */
  slice(offset: number, length: number): Uint8Array {
    const from = Math.max(offset, this.#end - this.capacity, 0);
    const to = Math.min(offset + length, this.#end);
    if (to <= from) return new Uint8Array(0);
    const out = new Uint8Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.#buf[i % this.capacity]!;
    return out;
  }
}
