import { emptyStats, type DecodeEvent, type DecoderStats } from '../protocols/decoder.js';

export interface ReconnectRecord {
  readonly at: number;
  readonly reason: string;
}

/** What the session has seen on the link since it started (survives reconnects), as the contract carries it. */
export interface LinkCounters {
  framesOk: number;
  readings: number;
  checksumErrors: number;
  framingErrors: number;
  timeouts: number;
  exceptions: number;
  reconnects: number;
  /** The most recent reconnects, newest last (bounded). */
  recentReconnects: ReconnectRecord[];
  lastFrameAt: number | null;
  lastErrorCode: string | null;
}

export const MAX_RECENT_RECONNECTS = 20;

/**
 * The link's one count. Frames, checksum and framing errors and exceptions are counted by the
 * decoders as they emit (every decoder of the link counts into `frames`, across reconnects);
 * the session adds what no decoder sees: readings it published, timeouts, reconnects. Diagnostics
 * and the UI read this; nobody counts the link again.
 */
export class LinkCount {
  readonly frames: DecoderStats = emptyStats();
  /** Readings the session published (a poller merges several decoded replies into one). */
  readings = 0;
  timeouts = 0;
  reconnects = 0;
  readonly recentReconnects: ReconnectRecord[] = [];
  lastFrameAt: number | null = null;
  lastErrorCode: string | null = null;

  /** A decoder event, already counted in `frames`: note when and what. */
  decoded(e: DecodeEvent, now: number): void {
    if (e.kind === 'error') {
      this.lastErrorCode = e.code;
      // A well-formed refusal is still the meter answering.
      if (e.code === 'METER_DLT645_EXCEPTION' || e.code === 'METER_MODBUS_EXCEPTION') this.lastFrameAt = now;
      return;
    }
    this.lastFrameAt = now;
  }

  timedOut(): void {
    this.timeouts++;
    this.lastErrorCode = 'METER_NO_ANSWER';
  }

  reconnect(at: number, reason: string): void {
    this.reconnects++;
    this.recentReconnects.push({ at, reason });
    if (this.recentReconnects.length > MAX_RECENT_RECONNECTS) this.recentReconnects.shift();
  }

  snapshot(): LinkCounters {
    const f = this.frames;
    return {
      framesOk: f.frames,
      readings: this.readings,
      checksumErrors: f.checksumErrors,
      framingErrors: f.framingErrors,
      timeouts: this.timeouts,
      exceptions: f.exceptions,
      reconnects: this.reconnects,
      recentReconnects: [...this.recentReconnects],
      lastFrameAt: this.lastFrameAt,
      lastErrorCode: this.lastErrorCode,
    };
  }
}
