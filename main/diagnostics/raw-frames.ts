import type { FrameTap } from './frame-log.js';

/** Raw pieces are cut at this size, whatever the gaps. */
const RAW_MAX = 4096;

/**
 * Bytes nobody decoded (the session while it detects, the auto-probe's attempts) into the frame
 * log, as pieces split at silences of `gapMs`: what arrived together is logged together.
 */
export class RawFrames {
  readonly #log: FrameTap;
  readonly #gapMs: number;
  #parts: Uint8Array[] = [];
  #size = 0;
  #at = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(log: FrameTap, options: { gapMs?: number } = {}) {
    this.#log = log;
    this.#gapMs = options.gapMs ?? 50;
  }

  add(bytes: Uint8Array, at: number): void {
    if (!this.#size) this.#at = at;
    this.#parts.push(bytes);
    this.#size += bytes.length;
    if (this.#size >= RAW_MAX) return this.flush();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.#gapMs);
    this.#timer.unref?.();
  }

  /** Log what is pending now (before a write, so the log keeps the order things happened in). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#size) return;
    const bytes = new Uint8Array(this.#size);
    let o = 0;
    for (const p of this.#parts) {
      bytes.set(p, o);
      o += p.length;
    }
    this.#parts = [];
    this.#size = 0;
    this.#log.onFrame({ direction: 'in', bytes, at: this.#at, protocol: null, ok: true, decoded: null, error: null });
  }

  dispose(): void {
    this.flush();
  }
}
