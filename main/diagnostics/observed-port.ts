import { WattletError } from '../api/errors.js';
import type { DecodeEvent, DecodeListener, StreamDecoder } from '../meter/protocols/decoder.js';
import type { LineSettings, SerialPort } from '../meter/index.js';
import type { LinkOpenInfo, LinkTap } from './link-monitor.js';
import { StreamHistory } from './stream-history.js';

export interface ObservePortOptions {
  readonly deviceId: string | null;
  /** The protocol the session reads now (null while detecting): picks the log's decoder. */
  readonly protocol: () => string | null;
  /** A decoder for the frame log; null for protocols it cannot decode. */
  readonly decoder: (protocol: string, listener: DecodeListener) => StreamDecoder | null;
  /** Raw bytes with no decoder are logged in pieces split at gaps this long (ms). */
  readonly rawGapMs?: number;
  readonly now?: () => number;
}

const RAW_MAX = 4096;

/**
 * A SerialPort that is the session's port, observed: everything received and written, every
 * open, speed change, error and close goes to the link tap, and received bytes are decoded a
 * second time for the frame log. This needs nothing from the session: the composition root
 * wraps the port its `openPort` returns. Decoding twice costs little (a DSMR 5 meter sends about
 * 1 kB a second) and keeps the session free of diagnostics.
 */
export function observePort(port: SerialPort, tap: LinkTap, options: ObservePortOptions): SerialPort {
  const now = options.now ?? Date.now;
  const gap = options.rawGapMs ?? 50;
  let decoder: StreamDecoder | null = null;
  let decoderProtocol: string | null = null;
  // Offsets of the log's decoder count from its creation, so it keeps its own history.
  const history = new StreamHistory();
  let raw: number[] = [];
  let rawTimer: NodeJS.Timeout | null = null;
  let rawAt = 0;

  const flushRaw = () => {
    if (rawTimer) clearTimeout(rawTimer);
    rawTimer = null;
    if (!raw.length) return;
    const bytes = Uint8Array.from(raw);
    raw = [];
    // With no decoder this is what arrived, undecoded (during detection, or an unknown protocol).
    tap.decoded({ kind: 'frame', offset: -1, length: bytes.length, what: 'bytes', facts: {} }, rawAt, bytes);
  };

  const decoderFor = (): StreamDecoder | null => {
    const protocol = options.protocol();
    if (protocol !== decoderProtocol) {
      decoder?.reset();
      decoderProtocol = protocol;
      history.reset();
      decoder = protocol
        ? options.decoder(protocol, (e: DecodeEvent) => tap.decoded(e, now(), e.offset >= 0 ? history.slice(e.offset, e.length) : undefined))
        : null;
    }
    return decoder;
  };

  const offData = port.onData((chunk) => {
    const at = now();
    tap.received(chunk, at);
    const d = decoderFor();
    if (d) {
      flushRaw();
      history.append(chunk);
      d.push(chunk, at);
      return;
    }
    if (!raw.length) rawAt = at;
    for (const b of chunk) raw.push(b);
    if (raw.length >= RAW_MAX) flushRaw();
    else {
      if (rawTimer) clearTimeout(rawTimer);
      rawTimer = setTimeout(flushRaw, gap);
      rawTimer.unref?.();
    }
  });
  // Errors name the device, so diagnostics can tell which adapter refused (permission, claimed).
  const withDevice = (e: unknown): unknown =>
    e instanceof WattletError && options.deviceId !== null && !('deviceId' in e.facts)
      ? new WattletError(e.code, e.message, { ...e.facts, deviceId: options.deviceId }, { cause: e })
      : e;
  const offError = port.onError((e) => tap.failed(withDevice(e), now()));

  const info = (line: LineSettings): LinkOpenInfo => ({
    deviceId: options.deviceId,
    family: port.family,
    path: port.path,
    protocol: options.protocol(),
    line,
  });

  return {
    get path() {
      return port.path;
    },
    get family() {
      return port.family;
    },
    get settings() {
      return port.settings;
    },
    get stats() {
      return port.stats;
    },
    async open(settings) {
      try {
        await port.open(settings);
      } catch (e) {
        tap.failed(withDevice(e), now());
        throw e;
      }
      tap.opened(info(settings));
    },
    async setLineSettings(settings) {
      await port.setLineSettings(settings);
      tap.lineChanged(settings, options.protocol());
    },
    async write(bytes) {
      await port.write(bytes);
      tap.sent(bytes, now());
    },
    setSignals: (signals) => port.setSignals(signals),
    onData: (listener) => port.onData(listener),
    onError: (listener) => port.onError(listener),
    async close() {
      flushRaw();
      offData();
      offError();
      decoder?.reset();
      await port.close();
      tap.closed(now());
    },
  };
}
