import { ByteWindow } from '../byte-window.js';
import { countEvent, emptyStats, type DecodeEvent, type DecodeListener, type StreamDecoder } from '../decoder.js';
import { parseSmlFile } from './sml-reading.js';
import { SmlSyntaxError } from './sml-tlv.js';
import { findSmlStart, scanSmlTransmission } from './sml-transport.js';

/** eHZ meters send a few hundred bytes a second; 16 kB without an end escape is noise. */
export const SML_MAX_TRANSMISSION = 16384;

/** Streaming SML 1.04 decoder: transport framing and CRC, then the TLV messages. */
export class SmlDecoder implements StreamDecoder {
  readonly protocol = 'sml' as const;
  readonly stats = emptyStats();
  readonly #w = new ByteWindow(4096);
  readonly #listener: DecodeListener;
  #garbageFrom = -1;

  constructor(listener: DecodeListener) {
    this.#listener = listener;
  }

  #emit(e: DecodeEvent): void {
    countEvent(this.stats, e);
    this.#listener(e);
  }

  #garbage(from: number, to: number): void {
    if (to - from > 0) {
      this.#emit({ kind: 'error', code: 'METER_FRAMING', offset: this.#w.offsetOf(from), length: to - from, detail: 'bytes outside a transmission' });
    }
  }

  push(chunk: Uint8Array, receivedAt: number): void {
    this.stats.bytes += chunk.length;
    const w = this.#w;
    const before = w.start;
    w.append(chunk);
    if (this.#garbageFrom >= 0) this.#garbageFrom -= before - w.start;
    const buf = w.buf;
    for (;;) {
      const s = findSmlStart(buf, w.start, w.end);
      if (s < 0) {
        // Keep the last 7 bytes: a start sequence may be split across chunks.
        const keep = Math.max(w.start, w.end - 7);
        if (this.#garbageFrom < 0 && keep > w.start) this.#garbageFrom = w.start;
        if (this.#garbageFrom >= 0 && keep - this.#garbageFrom > SML_MAX_TRANSMISSION) {
          this.#garbage(this.#garbageFrom, keep);
          this.#garbageFrom = -1;
        }
        w.start = keep;
        return;
      }
      const gFrom = this.#garbageFrom >= 0 ? this.#garbageFrom : w.start;
      if (s > gFrom) this.#garbage(gFrom, s);
      this.#garbageFrom = -1;
      w.start = s;
      const r = scanSmlTransmission(buf, s, w.end, SML_MAX_TRANSMISSION);
      if (r.kind === 'need-more') return;
      if (r.kind === 'no-start') return;
      const offset = w.offsetOf(s);
      if (r.kind === 'bad') {
        this.#emit({ kind: 'error', code: r.code, offset, length: r.length, detail: r.detail });
        w.start = r.resume;
        if (r.resume === s + 1) this.#garbageFrom = -1;
        continue;
      }
      w.start = s + r.length;
      try {
        const reading = parseSmlFile(r.payload, receivedAt);
        if (reading) this.#emit({ kind: 'reading', offset, length: r.length, reading });
        else this.#emit({ kind: 'frame', offset, length: r.length, what: 'sml.file', facts: { payloadBytes: r.payload.length } });
      } catch (e) {
        if (!(e instanceof SmlSyntaxError)) throw e;
        this.#emit({ kind: 'error', code: 'METER_FRAMING', offset, length: r.length, detail: `SML: ${e.message}` });
      }
    }
  }

  settled(): Promise<void> {
    return Promise.resolve();
  }

  reset(): void {
    this.#w.clear();
    this.#garbageFrom = -1;
  }
}
