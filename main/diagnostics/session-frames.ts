import type { DecodeEvent } from '../meter/protocols/index.js';
import type { SessionFrame } from '../meter/session/index.js';
import type { FrameRecord, FrameTap } from './frame-log.js';
import { RawFrames } from './raw-frames.js';

/** One line for the log: what the session's decoder made of a frame. */
export function summarizeDecoded(e: DecodeEvent): string {
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

/** A session frame as the frame log keeps it. */
export function frameRecordOf(f: SessionFrame): FrameRecord {
  const e = f.decoded;
  return {
    direction: f.direction,
    bytes: f.bytes,
    at: f.at,
    protocol: f.protocol,
    ok: e?.kind !== 'error',
    decoded: e ? summarizeDecoded(e) : null,
    error: e?.kind === 'error' ? { code: e.code, detail: e.detail } : null,
  };
}

/**
 * The session's frames into the frame log, as the session published them (decoded once, by the
 * session): decoded frames with a one-line summary, writes, and raw bytes (while detecting) in
 * pieces split at gaps. Also keeps the meter ids readings named, which the support bundle hashes.
 */
export class SessionFrames {
  readonly #raw: RawFrames;
  readonly #meterIds = new Set<string>();
  readonly #off: () => void;

  constructor(session: { onFrame(listener: (f: SessionFrame) => void): () => void }, log: FrameTap, options: { rawGapMs?: number } = {}) {
    this.#raw = new RawFrames(log, options.rawGapMs === undefined ? {} : { gapMs: options.rawGapMs });
    this.#off = session.onFrame((f) => {
      if (f.direction === 'in' && !f.decoded) return this.#raw.add(f.bytes, f.at);
      this.#raw.flush();
      if (f.decoded?.kind === 'reading' && f.decoded.reading.meterId) this.#meterIds.add(f.decoded.reading.meterId);
      log.onFrame(frameRecordOf(f));
    });
  }

  /** Meter ids seen in readings: the support bundle hashes them wherever they appear. */
  get meterIds(): readonly string[] {
    return [...this.#meterIds];
  }

  dispose(): void {
    this.#off();
    this.#raw.dispose();
  }
}
