import type { MeterProtocol, Reading } from '../reading.js';
import { ByteWindow } from './byte-window.js';
import { countEvent, emptyStats, type DecodeErrorCode, type DecodeEvent, type DecodeListener, type DecoderStats, type StreamDecoder } from './decoder.js';

export interface DecoderBaseOptions {
  /** Initial size of the byte window (it grows when a frame needs more). */
  readonly window: number;
  /** How a stretch of bytes outside any frame is reported. */
  readonly garbage: { readonly code: DecodeErrorCode; readonly detail: string };
  /**
   * The counters to count into. A meter session passes one set for the life of its link, so the
   * link is counted once, by the decoders, across reconnects; by default each decoder has its own.
   */
  readonly stats?: DecoderStats | undefined;
}

/** What every decoder's constructor takes besides its listener. */
export interface DecoderCountOptions {
  readonly stats?: DecoderStats | undefined;
}

/**
 * The skeleton the streaming decoders share: the byte window and its bookkeeping when a chunk
 * arrives, counting and emitting events, and the garbage stretch (bytes outside any frame) that
 * is reported as one error when a frame starts or it grows too long. A decoder adds its scan.
 *
 * Kept cheap on the hot path: push() does per chunk what each decoder did inline before (one
 * append, one shift check, one call into `scan`), and emit() is the same two calls; the scan
 * loops, where the time goes, stay in the decoders with their own fields.
 */
export abstract class DecoderBase implements StreamDecoder {
  abstract readonly protocol: MeterProtocol;
  readonly stats: DecoderStats;
  protected readonly w: ByteWindow;
  /** Window index where the current stretch of bytes outside any frame began, or -1. */
  protected garbage = -1;
  /**
   * Count the event, then hand it to the listener. A closure over this decoder's counters and
   * listener, not a method reading them off `this`: the six decoders share this base, and a
   * method's property reads would go polymorphic (slower) once several kinds have run in one
   * process (detection tries them all); each decoder's call to its own `emit` stays monomorphic.
   */
  protected readonly emit: (e: DecodeEvent) => void;
  readonly #garbageCode: DecodeErrorCode;
  readonly #garbageDetail: string;

  constructor(listener: DecodeListener, options: DecoderBaseOptions) {
    this.w = new ByteWindow(options.window);
    const stats = (this.stats = options.stats ?? emptyStats());
    this.emit = (e) => {
      countEvent(stats, e);
      listener(e);
    };
    this.#garbageCode = options.garbage.code;
    this.#garbageDetail = options.garbage.detail;
  }

  push(chunk: Uint8Array, receivedAt: number): void {
    this.stats.bytes += chunk.length;
    const w = this.w;
    const before = w.start;
    w.append(chunk);
    // append() may have compacted the window: indices into it move with it.
    const shift = before - w.start;
    if (shift !== 0) {
      if (this.garbage >= 0) this.garbage -= shift;
      this.shifted(shift);
    }
    this.scan(receivedAt);
  }

  /** Decode what the window holds from `w.start`, advancing it past what is done with. */
  protected abstract scan(receivedAt: number): void;

  /** The window was compacted by `shift` bytes: move the decoder's own indices into it. */
  protected shifted(_shift: number): void {}

  /** Framing events go here: a decoder whose events complete later (Smarty) queues them. */
  protected emitInOrder(e: DecodeEvent): void {
    this.emit(e);
  }

  /**
   * Emit a frame's reading; a frame that carried lines or data sets but gave no quantity at all
   * is followed by a METER_NO_QUANTITIES warning, so it is never a silent empty reading.
   */
  protected emitReading(offset: number, length: number, reading: Reading): void {
    this.emitInOrder({ kind: 'reading', offset, length, reading });
    if (reading.quantities.length === 0 && reading.raw.length > 0) {
      const unread = reading.unread ?? 0;
      this.emitInOrder({
        kind: 'warning',
        code: 'METER_NO_QUANTITIES',
        offset,
        length,
        meterId: reading.meterId,
        detail: `${reading.raw.length} line(s) and no quantity${unread ? `; ${unread} unreadable` : ''}: ${reading.raw[0]!.slice(0, 80)}`,
      });
    }
  }

  /** Report the garbage stretch, if any, as ending at window index `upTo`. */
  protected flushGarbage(upTo: number): void {
    const from = this.garbage;
    if (from < 0) return;
    this.garbage = -1;
    this.emitInOrder({ kind: 'error', code: this.#garbageCode, offset: this.w.offsetOf(from), length: upTo - from, detail: this.#garbageDetail });
  }

  /** A garbage stretch longer than `limit` is reported without waiting for a frame to end it. */
  protected flushGarbageOver(limit: number, upTo: number): void {
    if (this.garbage >= 0 && upTo - this.garbage > limit) this.flushGarbage(upTo);
  }

  settled(): Promise<void> {
    return Promise.resolve();
  }

  reset(): void {
    this.w.clear();
    this.garbage = -1;
    this.cleared();
  }

  end(): void {
    const w = this.w;
    const at = this.partialStart();
    const upTo = at >= 0 && at < w.end ? at : w.end;
    if (this.garbage >= 0 && this.garbage < upTo) this.flushGarbage(upTo);
    if (at >= 0 && at < w.end) {
      this.emitInOrder({ kind: 'error', code: 'METER_TRUNCATED', offset: w.offsetOf(at), length: w.end - at, detail: 'stream ended inside a frame' });
    }
    this.reset();
  }

  /**
   * Window index where a frame begun and not finished starts, or -1: what end() reports as
   * METER_TRUNCATED. By default whatever the window still holds (the scan keeps only bytes it
   * is waiting on); decoders that also keep bytes of no frame say better.
   */
  protected partialStart(): number {
    const w = this.w;
    for (let i = w.start; i < w.end; i++) {
      const c = w.buf[i]!;
      if (c !== 0x0d && c !== 0x0a && c !== 0x20 && c !== 0x00) return i;
    }
    return -1;
  }

  /** reset() forgot the window: forget the decoder's own partial state too. */
  protected cleared(): void {}
}
