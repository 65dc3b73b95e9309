import type { MeterProtocol, Reading } from '../reading.js';

/** Why a stretch of received bytes did not become a reading. Codes are stable (see api/session.ts). */
export type DecodeErrorCode =
  | 'METER_CHECKSUM' // CRC/BCC/CS did not match: the bytes were damaged on the wire
  | 'METER_FRAMING' // a frame started but its structure is broken (interrupted, bad length, bad syntax)
  | 'METER_FRAME_TOO_LONG' // no end marker within the protocol's maximum frame length
  | 'METER_TRUNCATED' // the stream ended (capture end, link closed) inside a frame; offset = its start
  | 'METER_DLT645_EXCEPTION' // a well-formed DL/T 645 abnormal reply (the meter refused)
  | 'METER_MODBUS_EXCEPTION' // a well-formed Modbus exception reply
  | 'METER_SMARTY_KEY' // no or unusable decryption key for an encrypted DSMR (Smarty) frame
  | 'METER_SMARTY_AUTH'; // GCM tag did not verify: wrong key/AAD or damaged frame

/** Why a reading deserves a second look although its frame was whole. */
export type DecodeWarningCode = 'METER_NO_QUANTITIES'; // a frame with data lines gave a reading with no quantity

export type DecodeEvent =
  | { readonly kind: 'reading'; readonly offset: number; readonly length: number; readonly reading: Reading }
  | {
      readonly kind: 'error';
      readonly offset: number;
      readonly length: number;
      readonly code: DecodeErrorCode;
      readonly detail: string;
    }
  /** Follows the reading of the same frame: something in it deserves a look (never silently). */
  | {
      readonly kind: 'warning';
      readonly offset: number;
      readonly length: number;
      readonly code: DecodeWarningCode;
      readonly detail: string;
      readonly meterId: string;
    }
  /** A valid frame that carries no reading (a request, an identification line, an address reply). */
  | {
      readonly kind: 'frame';
      readonly offset: number;
      readonly length: number;
      readonly what: string;
      readonly facts: Readonly<Record<string, string | number>>;
    };

export interface DecoderStats {
  bytes: number;
  frames: number;
  readings: number;
  checksumErrors: number;
  framingErrors: number;
  exceptions: number;
  /** Warning events (a reading with no quantities); a truncated frame counts as a framing error. */
  warnings: number;
}

export type DecodeListener = (event: DecodeEvent) => void;

/**
 * A streaming decoder: bytes in (any chunking), events out, in stream order. Pure TypeScript (no
 * Node APIs) so the renderer and tests can run it. Never throws on input: garbage is counted and
 * skipped, and scanning resumes one byte after a failed frame start so the next good frame is
 * never lost.
 */
export interface StreamDecoder {
  readonly protocol: MeterProtocol;
  readonly stats: Readonly<DecoderStats>;
  /** `receivedAt`: host time (ms since epoch) the chunk arrived; stamped on readings. */
  push(chunk: Uint8Array, receivedAt: number): void;
  /** Resolves when asynchronous work (Smarty decryption) queued so far has emitted its events. */
  settled(): Promise<void>;
  /** Forget any partial frame (the link was torn down): it must never complete with later bytes. */
  reset(): void;
  /**
   * The stream ended (end of a capture, the link closed): a frame begun and not finished is
   * reported as METER_TRUNCATED with its offset, bytes outside any frame as such; then reset().
   */
  end(): void;
}

export function emptyStats(): DecoderStats {
  return { bytes: 0, frames: 0, readings: 0, checksumErrors: 0, framingErrors: 0, exceptions: 0, warnings: 0 };
}

/** Count an event into stats; decoders call this for everything they emit. */
export function countEvent(stats: DecoderStats, e: DecodeEvent): void {
  if (e.kind === 'reading') {
    stats.frames++;
    stats.readings++;
  } else if (e.kind === 'frame') stats.frames++;
  else if (e.kind === 'warning') stats.warnings++;
  else if (e.code === 'METER_CHECKSUM' || e.code === 'METER_SMARTY_AUTH') stats.checksumErrors++;
  else if (e.code === 'METER_DLT645_EXCEPTION' || e.code === 'METER_MODBUS_EXCEPTION') {
    stats.frames++;
    stats.exceptions++;
  } else stats.framingErrors++;
}

/** Decode a whole capture at once (CLI, tests): every event in order, a frame cut by the capture's end included. */
export async function decodeAll(
  make: (listener: DecodeListener) => StreamDecoder,
  bytes: Uint8Array,
  receivedAt = 0,
): Promise<DecodeEvent[]> {
  const events: DecodeEvent[] = [];
  const decoder = make((e) => events.push(e));
  decoder.push(bytes, receivedAt);
  await decoder.settled();
  decoder.end();
  await decoder.settled();
  return events;
}
