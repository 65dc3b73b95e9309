import type { DecodeEvent } from '../protocols/decoder.js';
import type { Reading } from '../reading.js';
import type { SerialPort } from '../serial/serial-port.js';
import type { Clock } from './clock.js';

/** What a reader gets for one connection. */
export interface ReaderContext {
  readonly port: SerialPort;
  readonly clock: Clock;
  /** Aborted when this connection ends (unplug, error, dispose). */
  readonly signal: AbortSignal;
  emitReading(reading: Reading): void;
  /** Every decoder event, for the session's counters. */
  countEvent(event: DecodeEvent): void;
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
