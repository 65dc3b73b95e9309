import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { acceptsKermitCrc, serverIdentity } from '../../quirks/index.js';
import type { Reading } from '../../reading.js';
import { readSmlFile, SmlMemo } from './sml-reading.js';
import { SmlSyntaxError } from './sml-tlv.js';
import { findSmlStart, scanSmlTransmission } from './sml-transport.js';

/** eHZ meters send a few hundred bytes a second; 16 kB without an end escape is noise. */
export const SML_MAX_TRANSMISSION = 16384;

/** Streaming SML 1.04 decoder: transport framing and CRC, then the TLV messages. */
export class SmlDecoder extends DecoderBase {
  readonly protocol = 'sml' as const;
  readonly #memo = new SmlMemo();

  constructor(listener: DecodeListener, options: DecoderCountOptions = {}) {
    super(listener, { window: 4096, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a transmission' }, stats: options.stats });
  }

  /** A start sequence the scan waits on is a frame begun; the ≤ 7 bytes kept after noise are not. */
  protected override partialStart(): number {
    const w = this.w;
    const s = findSmlStart(w.buf, w.start, w.end);
    if (s >= 0) return s;
    // A start sequence cut by the end: "1B 1B …" up to 7 bytes of it.
    for (let i = Math.max(w.start, w.end - 7); i < w.end; i++) {
      let k = i;
      while (k < w.end && w.buf[k] === (k - i < 4 ? 0x1b : 0x01)) k++;
      if (k === w.end) {
        if (this.garbage < 0 && i > w.start) this.garbage = w.start;
        return i;
      }
    }
    if (this.garbage < 0 && w.end > w.start) this.garbage = w.start;
    return -1;
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
      try {
        const payload = r.payload;
        const file = readSmlFile(payload, 0, payload.length, receivedAt, this.#memo);
        let reading: Reading | null = file.reading;
        if (r.crc === 'kermit') {
          // Only a meter the quirks table knows for it may checksum with KERMIT; from any other
          // meter the X.25 mismatch stands.
          if (!file.serverId || !acceptsKermitCrc(serverIdentity(file.serverId, 0, file.serverId.length))) {
            this.emit({ kind: 'error', code: 'METER_CHECKSUM', offset, length: r.length, detail: 'CRC16/X.25 mismatch' });
            w.start = s + r.length;
            continue;
          }
          if (reading) reading = { ...reading, quirks: [...(reading.quirks ?? []), 'holley-dtz541-kermit-crc'] };
        }
        w.start = s + r.length;
        if (reading) this.emitReading(offset, r.length, reading);
        else this.emit({ kind: 'frame', offset, length: r.length, what: 'sml.file', facts: { payloadBytes: payload.length, ...(r.crc === 'kermit' ? { crc: 'kermit' } : {}) } });
      } catch (e) {
        if (!(e instanceof SmlSyntaxError)) throw e;
        w.start = s + r.length;
        this.emit({ kind: 'error', code: r.crc === 'kermit' ? 'METER_CHECKSUM' : 'METER_FRAMING', offset, length: r.length, detail: r.crc === 'kermit' ? 'CRC16/X.25 mismatch' : `SML: ${e.message}` });
      }
    }
  }
}
