import type { LineSettings } from './line-settings.js';

/** Line errors an adapter reports in-band (FTDI status bytes) or out of band. */
export interface LineErrorCounts {
  overrun: number;
  parity: number;
  framing: number;
  break: number;
}

export interface SerialPortStats {
  bytesIn: number;
  bytesOut: number;
  lineErrors: LineErrorCounts;
}

/** Which path owns the adapter: our userspace driver over `usb`, or the OS's serial driver. */
export type SerialPath = 'usb' | 'os';

/**
 * The one serial-port interface that protocols and the meter session use, whichever path and
 * adapter family is underneath. Errors are WattletErrors with METER_* codes.
 */
export interface SerialPort {
  readonly path: SerialPath;
  /** e.g. 'ftdi', 'cp210x', 'ch34x', 'pl2303', 'cdc-acm', 'os-serial' */
  readonly family: string;
  readonly settings: LineSettings | null;
  readonly stats: SerialPortStats;
  open(settings: LineSettings): Promise<void>;
  /** Change speed/format on an open port (IEC 62056-21 switches speed mid-session). */
  setLineSettings(settings: LineSettings): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  setSignals(signals: { dtr?: boolean; rts?: boolean; brk?: boolean }): Promise<void>;
  /** Received bytes, in order, as they arrive. Returns the unsubscribe. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Fatal link errors (device gone mid-transfer …); the port is closed after one. */
  onError(listener: (error: Error) => void): () => void;
  close(): Promise<void>;
}
