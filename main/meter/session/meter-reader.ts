import type { DecoderCountOptions } from '../protocols/decoder-base.js';
import type { DecodeListener, StreamDecoder } from '../protocols/decoder.js';
import type { Reading } from '../reading.js';
import type { SerialPort } from '../serial/serial-port.js';
import type { Clock } from './clock.js';

/** What a reader gets for one connection. */
export interface ReaderContext {
  /** The open port; what the reader writes and every speed change is published by the session. */
  readonly port: SerialPort;
  readonly clock: Clock;
  /** Aborted when this connection ends (unplug, error, dispose). */
  readonly signal: AbortSignal;
  /**
   * Decode what the port receives from now on with the decoder `make` builds (replacing the one
   * before: a new stream). `make` must pass `options` on, so the decoder counts into the link's
   * one count. The session feeds it, publishes each event with its bytes, then hands it to `listener`.
   */
  decode<D extends StreamDecoder>(make: (listener: DecodeListener, options: DecoderCountOptions) => D, listener: DecodeListener): D;
  emitReading(reading: Reading): void;
  countTimeout(): void;
}

/**
 * Reads one meter over an open port until the connection ends. Push protocols listen;
 * request/response protocols poll. `run` returns or throws when the link is no longer usable;
 * the session then reconnects.
 */
export interface MeterReader {
  run(ctx: ReaderContext): Promise<void>;
}
