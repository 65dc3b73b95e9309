/**
 * The unconsumed tail of a byte stream. Chunks are appended (one copy per chunk, never per byte);
 * decoders scan `buf[start..end)` in place and advance `start`. `base` is the absolute stream
 * offset of `buf[0]`, so errors can name the byte offset in the capture.
 */
export class ByteWindow {
  buf: Uint8Array;
  start = 0;
  end = 0;
  base = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
  }

  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.end + n > this.buf.length) {
      const live = this.end - this.start;
      if (live + n <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let size = this.buf.length * 2;
        while (size < live + n) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.base += this.start;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += n;
  }

  /** Absolute stream offset of buf[i]. */
  offsetOf(i: number): number {
    return this.base + i;
  }

  clear(): void {
    this.base += this.end;
    this.start = 0;
    this.end = 0;
  }
}
