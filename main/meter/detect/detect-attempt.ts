import type { MeterProtocol } from '../reading.js';
import type { LineSettings } from '../serial/line-settings.js';

/** One try at one protocol and line, kept for diagnostics (support bundle, `meter detect`). */
export interface DetectAttempt {
  readonly protocol: MeterProtocol;
  /** The line tried, as data (formatLine() writes it as support staff do: "115200 8N1"). */
  readonly line: LineSettings;
  readonly method: 'listen' | 'probe';
  readonly startedAt: number;
  readonly durationMs: number;
  readonly bytesSeen: number;
  readonly framesOk: number;
  readonly checksumErrors: number;
  readonly framingErrors: number;
  /** found: a valid frame; garbled: bytes but no valid frame (wrong speed?); silent: nothing. */
  readonly outcome: 'found' | 'garbled' | 'silent' | 'aborted';
  /** The meter's identity when found (DSMR equipment id, DL/T 645 address …). */
  readonly meterId: string | null;
}
