import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { parseIecDataBlock } from './iec-data-block.js';
import { ACK, bcc, ETX, NAK, parseIdentification, SOH, STX } from './iec-messages.js';
import { mayRestartAt } from './iec-resync.js';

const MAX_LINE = 128; // identification ≤ 16 chars ident + header (§6.3.2); sign-on with address ≤ 40
export const IEC_MAX_BLOCK = 65536;
const latin1 = new TextDecoder('latin1');

/**
 * Streaming IEC 62056-21 decoder for captures of both directions: sign-on, identification,
 * option select and ACK/NAK become 'frame' events; a data block (STX … ETX BCC) whose BCC holds
 * becomes a reading (the last identification names the meter when the block does not).
 */
export class Iec62056Decoder extends DecoderBase {
  readonly protocol = 'iec62056-21' as const;
  #lastIdent = '';

  constructor(listener: DecodeListener, options: DecoderCountOptions = {}) {
    super(listener, { window: 4096, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a message' }, stats: options.stats });
  }

  /** The identification most recently seen ('' if none). */
  get lastIdentification(): string {
    return this.#lastIdent;
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    let i = w.start;
    const end = w.end;
    scan: while (i < end) {
      const c = buf[i]! & 0x7f; // a 7E1 line read as 8 bits carries parity in bit 7
      if (c === 0x2f) {
        let j = i + 1;
        // A sign-on or identification line holds printable characters only; a control byte
        // (STX, ACK …) before the LF means this '/' was noise and a message starts there.
        while (j < end && j - i < MAX_LINE && buf[j] !== 0x0a && ((buf[j]! & 0x7f) >= 0x20 || buf[j] === 0x0d) && (buf[j]! & 0x7f) !== 0x2f) j++;
        if (j >= end && j - i < MAX_LINE) break scan;
        if (buf[j] !== 0x0a) {
          if (this.garbage < 0) this.garbage = i;
          i++;
          continue;
        }
        const line = latin1.decode(buf.subarray(i, j)).replace(/\r$/, '');
        this.flushGarbage(i);
        const offset = w.offsetOf(i);
        if (line.startsWith('/?') && line.endsWith('!')) {
          this.emit({ kind: 'frame', offset, length: j + 1 - i, what: 'iec.signon', facts: { address: line.slice(2, -1) } });
        } else {
          const id = parseIdentification(line);
          if (id) {
            this.#lastIdent = `${id.manufacturer}${id.ident}`;
            this.emit({ kind: 'frame', offset, length: j + 1 - i, what: 'iec.identification', facts: { manufacturer: id.manufacturer, baudChar: id.baudChar, baud: id.baud ?? -1, ident: id.ident } });
          } else this.emit({ kind: 'error', code: 'METER_FRAMING', offset, length: j + 1 - i, detail: 'malformed identification' });
        }
        i = j + 1;
        continue;
      }
      if (c === ACK) {
        if (end - i < 6) break;
        if (buf[i + 4] === 0x0d && buf[i + 5] === 0x0a) {
          this.flushGarbage(i);
          const s = latin1.decode(buf.subarray(i + 1, i + 4));
          this.emit({ kind: 'frame', offset: w.offsetOf(i), length: 6, what: 'iec.option', facts: { protocol: s[0]!, baudChar: s[1]!, mode: s[2]! } });
          i += 6;
        } else {
          this.flushGarbage(i);
          this.emit({ kind: 'frame', offset: w.offsetOf(i), length: 1, what: 'iec.ack', facts: {} });
          i++;
        }
        continue;
      }
      if (c === NAK) {
        this.flushGarbage(i);
        this.emit({ kind: 'frame', offset: w.offsetOf(i), length: 1, what: 'iec.nak', facts: {} });
        i++;
        continue;
      }
      if (c === SOH && end - i >= 4) {
        // A command is SOH, a command letter (P W R E B, §6.3.8), a digit, then STX or ETX;
        // anything else was a stray SOH and must not swallow the block after it.
        const cmd = buf[i + 1]! & 0x7f;
        const d = buf[i + 2]! & 0x7f;
        const next = buf[i + 3]! & 0x7f;
        if (!'PWREB'.includes(String.fromCharCode(cmd)) || d < 0x30 || d > 0x39 || (next !== STX && next !== ETX)) {
          if (this.garbage < 0) this.garbage = i;
          i++;
          continue;
        }
      }
      if (c === STX || c === SOH) {
        if (c === SOH && end - i < 4) break;
        let j = i + 1;
        while (j < end && j - i < IEC_MAX_BLOCK && buf[j] !== ETX && buf[j] !== 0x04) j++;
        if (j - i >= IEC_MAX_BLOCK) {
          this.flushGarbage(i);
          this.emit({ kind: 'error', code: 'METER_FRAME_TOO_LONG', offset: w.offsetOf(i), length: j - i, detail: 'no ETX' });
          i++;
          continue;
        }
        if (j + 1 >= end) break; // need the BCC byte after ETX/EOT
        this.flushGarbage(i);
        const offset = w.offsetOf(i);
        const length = j + 2 - i;
        // The 8-bit BCC is weak (two equal bytes cancel out), so also hold the block to its
        // grammar (§6.4): printable characters, CR and LF only, plus the STX of a command.
        let clean = true;
        for (let k = i + 1; k < j && clean; k++) {
          const ch = buf[k]! & 0x7f;
          if (ch < 0x20 && ch !== 0x0d && ch !== 0x0a && !(c === SOH && ch === STX && k === i + 3)) clean = false;
        }
        if (!clean || bcc(buf, i + 1, j + 1) !== buf[j + 1]) {
          this.emit({ kind: 'error', code: 'METER_CHECKSUM', offset, length, detail: 'BCC mismatch' });
          // If the ETX of this block was lost, the block ran into the next one: resume at the
          // next block start inside it (iec-resync.ts) so that good block is not lost.
          let k = i + 1;
          while (k <= j && (((buf[k]! & 0x7f) !== STX && (buf[k]! & 0x7f) !== SOH) || !mayRestartAt(buf, i, k, j))) k++;
          // Not past the BCC byte: on a short garbled block it may be the next block's STX.
          i = k <= j ? k : j + 1;
          continue;
        }
        if (c === SOH) {
          const body = latin1.decode(buf.subarray(i + 1, j));
          const stx = body.indexOf('\x02');
          this.emit({ kind: 'frame', offset, length, what: 'iec.command', facts: { command: stx > 0 ? body.slice(0, stx) : body, data: stx > 0 ? body.slice(stx + 1) : '' } });
        } else {
          const { reading, dataLines } = parseIecDataBlock(buf, i + 1, j, this.#lastIdent, receivedAt);
          // The BCC holds but no data line does: a stray "STX ETX 03" in noise, not a readout.
          if (dataLines === 0) this.emit({ kind: 'error', code: 'METER_FRAMING', offset, length, detail: 'data block without a data line' });
          else this.emitReading(offset, length, reading);
        }
        i = j + 2;
        continue;
      }
      if (c !== 0x0d && c !== 0x0a && this.garbage < 0) this.garbage = i;
      i++;
    }
    this.flushGarbageOver(4096, i);
    w.start = i;
  }
}
