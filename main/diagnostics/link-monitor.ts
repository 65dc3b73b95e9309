import type { LinkStats } from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import type { DecodeEvent, StreamDecoder } from '../meter/protocols/decoder.js';
import type { LineSettings, SerialPort } from '../meter/index.js';
import type { FrameTap } from './frame-log.js';
import { StreamHistory } from './stream-history.js';

/** Where the diagnostics page reads the active link from. Null when no link was ever opened. */
export interface LinkSource {
  linkStats(): LinkStats | null;
}

/**
 * What the meter session tells diagnostics about its link, as it happens. The session calls
 * these (it owns the port and the decoder); the monitor keeps the counters, the reconnect times
 * and the last bytes, and feeds the frame log with each decoded or failed frame.
 */
export interface LinkTap {
  /**
   * A connection opened. Decoder event offsets are absolute stream offsets; a session that keeps
   * its decoder across reconnects passes `continueStream: true`, one that makes a new decoder per
   * connection (offsets from 0 again) leaves it out.
   */
  opened(info: LinkOpenInfo): void;
  /** Bytes received, as the port delivered them. */
  received(chunk: Uint8Array, at: number): void;
  /** Bytes the session wrote (IEC sign-on, DL/T 645 and Modbus requests). */
  sent(bytes: Uint8Array, at: number): void;
  /**
   * Every decoder event, in order (the decoder's listener forwards here). `bytes` are the frame's
   * own bytes when the caller has them; otherwise they are cut from the received stream by offset.
   */
  decoded(event: DecodeEvent, at: number, bytes?: Uint8Array): void;
  /** A request got no answer in time. */
  timedOut(at: number): void;
  lineChanged(line: LineSettings, protocol?: string | null): void;
  reconnecting(reason: string | null, at: number): void;
  failed(error: unknown, at: number): void;
  closed(at: number): void;
}

export interface LinkOpenInfo {
  readonly deviceId: string | null;
  readonly family: string;
  readonly path: 'usb' | 'os';
  readonly protocol: string | null;
  readonly line: LineSettings;
  readonly continueStream?: boolean;
}

/** Bytes kept to cut frames out of the stream; a frame longer than this is logged truncated. */
const HISTORY_BYTES = 16 * 1024;

function emptyStats(): LinkStats {
  return {
    state: 'idle',
    deviceId: null,
    family: null,
    path: null,
    protocol: null,
    line: null,
    openedAt: null,
    bytesIn: 0,
    bytesOut: 0,
    lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 },
    framesOk: 0,
    checksumErrors: 0,
    framingErrors: 0,
    timeouts: 0,
    lastByteAt: null,
    lastFrameAt: null,
    reconnects: [],
    lastError: null,
  };
}

function summarize(e: DecodeEvent): string {
  if (e.kind === 'reading') {
    const q = e.reading.quantities.slice(0, 6).map((x) => `${x.obis}=${x.value} ${x.unit}`);
    const more = e.reading.quantities.length > 6 ? ` (+${e.reading.quantities.length - 6})` : '';
    return `reading meter ${e.reading.meterId}: ${q.join(', ')}${more}`;
  }
  if (e.kind === 'frame') {
    const facts = Object.entries(e.facts).map(([k, v]) => `${k}=${v}`).join(' ');
    return facts ? `${e.what} ${facts}` : e.what;
  }
  return `${e.code}: ${e.detail}`;
}

/**
 * Link statistics and frame capture, fed by the session through LinkTap. Line errors and byte
 * counts come from the port's own stats when a port is given (the adapter counts what the UART
 * saw, which the decoder cannot).
 */
export class LinkMonitor implements LinkTap, LinkSource {
  #stats: LinkStats | null = null;
  #port: SerialPort | null = null;
  readonly #history = new StreamHistory(HISTORY_BYTES);
  #lastMeterId: string | null = null;
  readonly #tap: FrameTap | null;
  readonly #meterIds = new Set<string>();
  readonly #failedListeners = new Set<(error: unknown, at: number) => void>();

  constructor(deps: { tap?: FrameTap | null } = {}) {
    this.#tap = deps.tap ?? null;
  }

  /** Use this port's counters (bytes, UART line errors) rather than counting bytes here. */
  usePort(port: SerialPort | null): void {
    this.#port = port;
  }

  /** Meter ids seen in readings: the support bundle hashes them wherever they appear. */
  get meterIds(): readonly string[] {
    return [...this.#meterIds];
  }

  get lastMeterId(): string | null {
    return this.#lastMeterId;
  }

  linkStats(): LinkStats | null {
    if (!this.#stats) return null;
    const s = this.#stats;
    if (this.#port) {
      const p = this.#port.stats;
      return { ...s, bytesIn: p.bytesIn, bytesOut: p.bytesOut, lineErrors: { ...p.lineErrors }, reconnects: [...s.reconnects] };
    }
    return { ...s, lineErrors: { ...s.lineErrors }, reconnects: [...s.reconnects] };
  }

  opened(info: LinkOpenInfo): void {
    const prev = this.#stats;
    // Counters run for the life of the link, across reconnects: support wants the totals.
    const s = prev && prev.deviceId === info.deviceId ? prev : emptyStats();
    this.#stats = { ...s, state: 'open', deviceId: info.deviceId, family: info.family, path: info.path, protocol: info.protocol, line: { ...info.line }, openedAt: Date.now() };
    if (!info.continueStream) this.#history.reset();
  }

  received(chunk: Uint8Array, at: number): void {
    const s = this.#ensure();
    s.bytesIn += chunk.length;
    s.lastByteAt = at;
    this.#history.append(chunk);
  }

  sent(bytes: Uint8Array, at: number): void {
    const s = this.#ensure();
    s.bytesOut += bytes.length;
    this.#tap?.onFrame({ direction: 'out', bytes, at, protocol: s.protocol, ok: true, decoded: null, error: null });
  }

  decoded(event: DecodeEvent, at: number, bytes?: Uint8Array): void {
    const s = this.#ensure();
    if (event.kind === 'frame' && event.what === 'bytes' && bytes) {
      // Undecoded bytes (no decoder for the protocol yet): logged, not counted as a frame.
      this.#tap?.onFrame({ direction: 'in', bytes, at, protocol: null, ok: true, decoded: null, error: null });
      return;
    }
    if (event.kind === 'reading' || event.kind === 'frame') {
      s.framesOk++;
      s.lastFrameAt = at;
      if (event.kind === 'reading') {
        this.#lastMeterId = event.reading.meterId;
        if (event.reading.meterId) this.#meterIds.add(event.reading.meterId);
      }
    } else if (event.code === 'METER_CHECKSUM' || event.code === 'METER_SMARTY_AUTH') s.checksumErrors++;
    else if (event.code === 'METER_DLT645_EXCEPTION' || event.code === 'METER_MODBUS_EXCEPTION') {
      s.framesOk++;
      s.lastFrameAt = at;
    } else s.framingErrors++;
    this.#tap?.onFrame({
      direction: 'in',
      bytes: bytes ?? this.#history.slice(event.offset, event.length),
      at,
      protocol: s.protocol,
      ok: event.kind !== 'error',
      decoded: summarize(event),
      error: event.kind === 'error' ? { code: event.code, detail: event.detail } : null,
    });
  }

  timedOut(_at: number): void {
    this.#ensure().timeouts++;
  }

  lineChanged(line: LineSettings, protocol?: string | null): void {
    const s = this.#ensure();
    s.line = { ...line };
    if (protocol !== undefined) s.protocol = protocol;
  }

  reconnecting(reason: string | null, at: number): void {
    const s = this.#ensure();
    s.state = 'reconnecting';
    s.openedAt = null;
    s.reconnects.push({ at, reason });
    if (s.reconnects.length > 100) s.reconnects.splice(0, s.reconnects.length - 100);
  }

  /** Every link failure (open refused, device gone …): diagnostics keeps them as recent errors. */
  onFailed(listener: (error: unknown, at: number) => void): () => void {
    this.#failedListeners.add(listener);
    return () => this.#failedListeners.delete(listener);
  }

  failed(error: unknown, at: number): void {
    for (const l of [...this.#failedListeners]) l(error, at);
    const s = this.#ensure();
    s.state = 'failed';
    s.openedAt = null;
    s.lastError =
      error instanceof WattletError
        ? error.toJSON()
        : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), facts: {} };
  }

  closed(_at: number): void {
    const s = this.#ensure();
    s.state = 'closed';
    s.openedAt = null;
  }

  #ensure(): LinkStats {
    if (!this.#stats) this.#stats = emptyStats();
    return this.#stats;
  }
}

/**
 * Wire a port and a decoder through a monitor: what the probe does for each attempt, and what a
 * session can do if it has nothing of its own. Returns the unsubscribe.
 */
export function monitorPort(port: SerialPort, decoder: StreamDecoder, monitor: LinkTap, now: () => number = Date.now): () => void {
  const offData = port.onData((chunk) => {
    const at = now();
    monitor.received(chunk, at);
    decoder.push(chunk, at);
  });
  const offError = port.onError((e) => monitor.failed(e, now()));
  return () => {
    offData();
    offError();
  };
}
