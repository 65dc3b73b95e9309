import type { DecodeEvent } from '../protocols/decoder.js';
import type { MeterProtocol } from '../reading.js';
import type { LineSettings } from '../serial/line-settings.js';
import type { SerialPath } from '../serial/serial-port.js';

/**
 * One frame on the link, as the session saw it, published once: what arrived with what the
 * session's decoder made of it (a reading, a frame, or an error), or what the session wrote.
 * Diagnostics logs these instead of decoding the bytes a second time.
 */
export interface SessionFrame {
  readonly direction: 'in' | 'out';
  /** Host time, ms since epoch. */
  readonly at: number;
  /** The protocol being read (null while detecting: nothing of the session decodes then). */
  readonly protocol: MeterProtocol | null;
  /** The frame's own bytes; for 'in' with no `decoded`, bytes as they arrived, undecoded. */
  readonly bytes: Uint8Array;
  /** The decoder's event for these bytes; null for writes and undecoded bytes. */
  readonly decoded: DecodeEvent | null;
}

/** What happened to the link itself, as data (line settings as fields, never as "9600 8N1"). */
export type LinkEvent =
  | {
      readonly kind: 'opened';
      readonly at: number;
      readonly path: SerialPath;
      readonly family: string;
      readonly line: LineSettings;
      readonly protocol: MeterProtocol | null;
    }
  | { readonly kind: 'line'; readonly at: number; readonly line: LineSettings; readonly protocol: MeterProtocol | null }
  /** The adapter refused to open, or failed while open (unplugged, permission …). */
  | { readonly kind: 'failed'; readonly at: number; readonly error: unknown }
  | { readonly kind: 'closed'; readonly at: number };
