import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { parseSmlFile } from './sml-reading.js';
import { SmlSyntaxError } from './sml-tlv.js';
import { findSmlStart, scanSmlTransmission } from './sml-transport.js';

/** eHZ meters send a few hundred bytes a second; 16 kB without an end escape is noise. */
export const SML_MAX_TRANSMISSION = 16384;

/** Streaming SML 1.04 decoder: transport framing and CRC, then the TLV messages. */
export class SmlDecoder extends DecoderBase {
  readonly protocol = 'sml' as const;

  constructor(listener: DecodeListener, options: DecoderCountOptions = {}) {
    super(listener, { window: 4096, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a transmission' }, stats: options.stats });
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    for (;;) {
      const s = findSmlStart(buf, w.start, w.end);
      if (s < 0) {
        // Keep the last 7 bytes: a start sequence may be split across chunks.
        const keep = Math.max(w.start, w.end - 7);
        if (this.garbage < 0 && keep > w.start) this.garbage = w.start;
        this.flushGarbageOver(SML_MAX_TRANSMISSION, keep);
        w.start = keep;
        return;
      }
      if (this.garbage < 0 && s > w.start) this.garbage = w.start;
      if (this.garbage >= 0 && s > this.garbage) this.flushGarbage(s);
      this.garbage = -1;
      w.start = s;
      const r = scanSmlTransmission(buf, s, w.end, SML_MAX_TRANSMISSION);
      if (r.kind === 'need-more') return;
      if (r.kind === 'no-start') return;
      const offset = w.offsetOf(s);
      if (r.kind === 'bad') {
        this.emit({ kind: 'error', code: r.code, offset, length: r.length, detail: r.detail });
        w.start = r.resume;
        if (r.resume === s + 1) this.garbage = -1;
        continue;
      }
      w.start = s + r.length;
      try {
        const reading = parseSmlFile(r.payload, receivedAt);
        if (reading) this.emit({ kind: 'reading', offset, length: r.length, reading });
        else this.emit({ kind: 'frame', offset, length: r.length, what: 'sml.file', facts: { payloadBytes: r.payload.length } });
      } catch (e) {
        if (!(e instanceof SmlSyntaxError)) throw e;
        this.emit({ kind: 'error', code: 'METER_FRAMING', offset, length: r.length, detail: `SML: ${e.message}` });
      }
    }
  }
}
