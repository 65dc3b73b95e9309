import { isCurrentRegister, type DecodeEvent } from '../meter/protocols/index.js';
import type { SessionFrame } from '../meter/session/index.js';
import type { FrameRecord, FrameTap } from './frame-log.js';
import { RawFrames } from './raw-frames.js';

/**
 * One line for the log: what the session's decoder made of a frame. A reading shows its first
 * current registers, then everything history does not store: register history (F groups), the
 * count of lines it could not read, and the quirks corrected.
 */
export function summarizeDecoded(e: DecodeEvent): string {
  if (e.kind === 'reading') {
    const r = e.reading;
    const current = r.quantities.filter((x) => isCurrentRegister(x.obis));
    const history = r.quantities.filter((x) => !isCurrentRegister(x.obis));
    const q = current.slice(0, 6).map((x) => `${x.obis}=${x.value} ${x.unit}`);
    const more = current.length > 6 ? ` (+${current.length - 6})` : '';
    const hist = history.length ? `; history ${history.map((x) => `${x.obis}=${x.value} ${x.unit}`).join(', ')}` : '';
    const unread = r.unread ? `; ${r.unread} unread: ${r.raw.slice(-r.unread).join(' | ')}` : '';
    const quirks = r.quirks?.length ? `; quirks corrected: ${r.quirks.join(', ')}` : '';
    return `reading meter ${r.meterId}: ${q.join(', ')}${more}${hist}${unread}${quirks}`;
  }
  if (e.kind === 'warning') return `${e.code}: ${e.detail}`;
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
    // A warning's frame was whole but deserves the look an error gets (the errors-only filter).
    ok: e?.kind !== 'error' && e?.kind !== 'warning',
    decoded: e ? summarizeDecoded(e) : null,
    error: e?.kind === 'error' || e?.kind === 'warning' ? { code: e.code, detail: e.detail } : null,
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
