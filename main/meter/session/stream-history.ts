/**
 * The last bytes of a received stream, addressed by absolute stream offset (as decoders report
 * frame positions), so a decoded frame's own bytes can be logged without the decoder keeping them.
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
    for (const b of chunk) {
      this.#buf[this.#end % this.capacity] = b;
      this.#end++;
    }
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
