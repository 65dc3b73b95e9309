import type { FrameEntry } from '../api/diagnostics.js';
import * as hex from '../common/hex.js';
import { Emitter, type ListenerErrorHandler } from '../lifecycle/emitter.js';

/**
 * One frame as the log takes it: from the meter session's published frames (session-frames.ts)
 * and the auto-probe's raw traffic. Given once per decoded frame, failed frame (checksum,
 * framing), raw piece and request written; nothing waits on the log.
 */
export interface FrameRecord {
  readonly direction: 'in' | 'out';
  readonly bytes: Uint8Array;
  /** Host time of the frame's last byte, ms since epoch. */
  readonly at: number;
  readonly protocol?: string | null;
  readonly ok: boolean;
  /** One-line summary of what the decoder made of it ('reading 1.8.0=123456 Wh …'). */
  readonly decoded?: string | null;
  readonly error?: { readonly code: string; readonly detail: string } | null;
}

export interface FrameTap {
  onFrame(frame: FrameRecord): void;
}

export interface FrameLogOptions {
  /** Keep frames no older than this (the support bundle's "last minutes"). */
  readonly windowMs?: number;
  /** Hard caps, whatever the window: a chatty meter (DSMR 5 sends every second) must not grow memory. */
  readonly maxFrames?: number;
  readonly maxBytes?: number;
  /** Longer frames are cut; a DSMR telegram is under 2 KB, a garbage stream can be endless. */
  readonly maxFrameBytes?: number;
  readonly now?: () => number;
  /** Where a throwing subscriber's error goes (the logger): the entry is kept whatever a subscriber does. */
  readonly onListenerError?: ListenerErrorHandler;
}

export interface FrameQuery {
  readonly afterSeq?: number;
  readonly limit?: number;
  readonly direction?: 'in' | 'out' | undefined;
  readonly errorsOnly?: boolean;
  readonly contains?: string | undefined;
  /** Only frames at or after this time. */
  readonly since?: number;
}

const DECODED_MAX = 2000;

/** Lowercase hex, bytes separated by spaces: what support staff paste into a protocol analyser. */
export function toHex(bytes: Uint8Array): string {
  return hex.toHex(bytes, ' ');
}

/** The log's hex back to bytes (white space ignored). */
export function fromHex(text: string): Uint8Array {
  const bytes = hex.fromHex(text.replace(/\s+/g, ''));
  if (!bytes) throw new RangeError('not a hex byte string');
  return bytes;
}

/** Printable ASCII as is, CR/LF as ␍␊ so line structure stays visible, other bytes as ·. */
export function toPrintable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x0d) out += '␍';
    else if (b === 0x0a) out += '␊';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '·';
  }
  return out;
}

function entryCost(e: FrameEntry): number {
  // hex is 3 chars per byte, text 1, plus the decoded line: the strings are what we hold.
  return e.hex.length + e.text.length + (e.decoded?.length ?? 0) + 64;
}

/**
 * Ring buffer of the last minutes of frames, bounded by age, count and memory. Entries are
 * formatted once on the way in (hex, printable) so reads and events cost nothing more.
 */
export class FrameLog implements FrameTap {
  readonly #windowMs: number;
  readonly #maxFrames: number;
  readonly #maxBytes: number;
  readonly #maxFrameBytes: number;
  readonly #now: () => number;
  #entries: FrameEntry[] = [];
  #head = 0; // index of the oldest live entry in #entries
  #bytes = 0;
  #nextSeq = 0;
  readonly #entriesAdded: Emitter<FrameEntry>;

  constructor(options: FrameLogOptions = {}) {
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxFrames = options.maxFrames ?? 5000;
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#maxFrameBytes = options.maxFrameBytes ?? 4096;
    this.#now = options.now ?? Date.now;
    this.#entriesAdded = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Memory held, in string characters (an upper bound that tests can check against the cap). */
  get heldBytes(): number {
    return this.#bytes;
  }

  get latestSeq(): number {
    return this.#nextSeq - 1;
  }

  /** The seq of the oldest frame still held (everything before it was dropped). */
  get oldestSeq(): number {
    return this.size ? this.#entries[this.#head]!.seq : this.#nextSeq;
  }

  onFrame(frame: FrameRecord): void {
    const truncated = frame.bytes.length > this.#maxFrameBytes;
    const bytes = truncated ? frame.bytes.subarray(0, this.#maxFrameBytes) : frame.bytes;
    const decoded = frame.decoded ? frame.decoded.slice(0, DECODED_MAX) : null;
    const entry: FrameEntry = {
      seq: this.#nextSeq++,
      at: frame.at,
      direction: frame.direction,
      protocol: frame.protocol ?? null,
      ok: frame.ok,
      hex: toHex(bytes),
      text: toPrintable(bytes),
      decoded,
      error: frame.error ? { code: frame.error.code, detail: frame.error.detail.slice(0, 500) } : null,
      length: frame.bytes.length,
      truncated,
    };
    this.#entries.push(entry);
    this.#bytes += entryCost(entry);
    this.#evict();
    this.#entriesAdded.fire(entry);
  }

  /** Called for every new entry (the handlers forward it as the diagnostics.frame event). */
  subscribe(listener: (entry: FrameEntry) => void): () => void {
    const s = this.#entriesAdded.event(listener);
    return () => s.dispose();
  }

  query(q: FrameQuery = {}): FrameEntry[] {
    this.#evict();
    const after = q.afterSeq ?? -1;
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const needle = q.contains?.toLowerCase();
    const out: FrameEntry[] = [];
    // Walk newest → oldest so `limit` keeps the most recent matches, then restore order.
    for (let i = this.#entries.length - 1; i >= this.#head && out.length < limit; i--) {
      const e = this.#entries[i]!;
      if (e.seq <= after) break;
      if (q.since !== undefined && e.at < q.since) break;
      if (q.direction && e.direction !== q.direction) continue;
      if (q.errorsOnly && e.ok) continue;
      if (needle && !matches(e, needle)) continue;
      out.push(e);
    }
    return out.reverse();
  }

  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  dispose(): void {
    this.#entriesAdded.dispose();
    this.clear();
  }

  #evict(): void {
    const cutoff = this.#now() - this.#windowMs;
    while (this.size > 0) {
      const oldest = this.#entries[this.#head]!;
      if (this.size <= this.#maxFrames && this.#bytes <= this.#maxBytes && oldest.at >= cutoff) break;
      this.#bytes -= entryCost(oldest);
      this.#head++;
    }
    // Compact now and then instead of shifting on every eviction (shift is O(n)).
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}

function matches(e: FrameEntry, needle: string): boolean {
  return (
    e.hex.includes(needle) ||
    e.hex.replace(/ /g, '').includes(needle.replace(/ /g, '')) ||
    e.text.toLowerCase().includes(needle) ||
    (e.decoded?.toLowerCase().includes(needle) ?? false) ||
    (e.error?.code.toLowerCase().includes(needle) ?? false) ||
    (e.protocol?.toLowerCase().includes(needle) ?? false)
  );
}
