import { crc16Arc } from '../crc16.js';
import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { DsmrTelegramShape } from './dsmr-shape.js';
import { parseDsmrTelegram } from './dsmr-telegram.js';
import { DsmrParseMemo } from './dsmr-text.js';

const SLASH = 0x2f;
const BANG = 0x21;
/** DSMR 5.0.2 telegrams with a full text message stay well under 3 kB; anything longer is noise. */
export const DSMR_MAX_TELEGRAM = 8192;

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x0d || c === 0x0a || c === 0x20 || c === 0x00;
}

export interface DsmrDecoderOptions extends DecoderCountOptions {
  /**
   * Telegrams of DSMR 4+ end in "!XXXX" (CRC-16/ARC over '/' … '!', §6.2); DSMR 2.2/3 in "!".
   * 'auto' accepts both until the first CRC-carrying telegram, then requires a CRC, so a CRC
   * garbled into a line end can no longer pass as a CRC-less telegram.
   */
  readonly crc?: 'auto' | 'required' | 'none';
}

/** Streaming DSMR P1 decoder: finds '/' … '!CRC', checks the CRC, parses the telegram. */
export class DsmrDecoder extends DecoderBase {
  readonly protocol = 'dsmr' as const;
  readonly #memo = new DsmrParseMemo();
  /** The last telegram's shape: a meter repeats its lines, so most telegrams skip the line parser. */
  readonly #shape = new DsmrTelegramShape();
  #crcMode: 'auto' | 'required' | 'none';
  /** Index in the window of the current telegram's '/', or -1 while hunting. */
  #frameStart = -1;
  /** Where to resume scanning for the end marker (not rescanning bytes already seen). */
  #scan = 0;

  constructor(listener: DecodeListener, options: DsmrDecoderOptions = {}) {
    // The garbage stretch counts non-whitespace only: line ends between telegrams are no noise.
    super(listener, { window: 16384, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a telegram' }, stats: options.stats });
    this.#crcMode = options.crc ?? 'auto';
  }

  protected override shifted(shift: number): void {
    if (this.#frameStart >= 0) this.#frameStart -= shift;
    this.#scan -= shift;
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    for (;;) {
      if (this.#frameStart < 0) {
        // Hunting for '/': skip line ends between telegrams, count anything else as garbage.
        let i = w.start;
        const end = w.end;
        while (i < end) {
          const c = buf[i]!;
          if (c === SLASH) break;
          if (this.garbage < 0 && !isSpace(c)) this.garbage = i;
          i++;
        }
        if (i >= end) {
          this.flushGarbageOver(DSMR_MAX_TELEGRAM, end);
          w.start = end;
          return;
        }
        this.flushGarbage(i);
        w.start = i;
        this.#frameStart = i;
        this.#scan = i + 1;
      }
      const s = this.#frameStart;
      const end = w.end;
      // A telegram that fits the last one's shape ends where that one did, and the fit proves
      // no earlier line starts with '!': no search needed. Otherwise one search for the end
      // marker; a new '/' inside (a torn telegram) is looked for only when the CRC fails or the
      // telegram grows too long.
      const n = this.#shape.length;
      const triedFit = n > 0 && s + n < end && buf[s + n] === BANG;
      const fitted = triedFit ? this.#shape.parse(buf, s, s + n, receivedAt) : null;
      const bangAt = fitted ? s + n - this.#scan : buf.subarray(this.#scan, end).indexOf(BANG);
      const j = bangAt < 0 ? end : this.#scan + bangAt;
      const slash = bangAt < 0 && end - s > DSMR_MAX_TELEGRAM ? this.#slashIn(buf, s + 1, end) : -1;
      if (slash >= 0) {
        // A new telegram began before this one ended: the first was torn (unplug, lost bytes).
        this.emit({ kind: 'error', code: 'METER_FRAMING', offset: w.offsetOf(s), length: slash - s, detail: 'telegram interrupted' });
        this.#frameStart = -1;
        w.start = slash;
        continue;
      }
      if (j >= end) {
        this.#scan = end;
        if (end - s > DSMR_MAX_TELEGRAM) {
          this.emit({ kind: 'error', code: 'METER_FRAME_TOO_LONG', offset: w.offsetOf(s), length: end - s, detail: 'no end of telegram' });
          this.#frameStart = -1;
          w.start = s + 1;
          continue;
        }
        return;
      }
      // j is '!'. The end marker starts its own line (§6.2: "CR LF ! CRC CR LF"); a '!' elsewhere
      // is a damaged byte, and treating it as the end could pass a CRC-less telegram.
      if (j > s && buf[j - 1] !== 0x0a) {
        this.#scan = j + 1;
        continue;
      }
      // Need the 4 CRC hex digits, or a line end for CRC-less telegrams.
      if (j + 1 >= end) {
        this.#scan = j;
        return;
      }
      const c1 = buf[j + 1]!;
      let frameEnd: number;
      let crcOk: boolean | null = null;
      if (hex(c1) >= 0) {
        if (j + 5 > end) {
          this.#scan = j;
          return;
        }
        const h1 = hex(buf[j + 2]!), h2 = hex(buf[j + 3]!), h3 = hex(buf[j + 4]!);
        frameEnd = j + 5;
        if (h1 < 0 || h2 < 0 || h3 < 0) crcOk = false;
        else crcOk = (fitted ? this.#shape.crc : crc16Arc(buf, s, j + 1)) === ((hex(c1) << 12) | (h1 << 8) | (h2 << 4) | h3);
      } else if (c1 === 0x0d) {
        // A CRC-less telegram (DSMR 2.2/3) ends "!" CR LF. Requiring both bytes keeps a damaged
        // blank line ("\r\n\r\n" with its second CR flipped to '!') from passing as an end.
        if (j + 2 >= end) {
          this.#scan = j;
          return;
        }
        frameEnd = j + 1;
        if (buf[j + 2] !== 0x0a) crcOk = false;
      } else {
        frameEnd = j + 1;
        crcOk = false;
      }
      const offset = w.offsetOf(s);
      const length = frameEnd - s;
      if (crcOk === false || (crcOk === null && this.#crcMode === 'required')) {
        const torn = this.#slashIn(buf, s + 1, j);
        if (torn >= 0) {
          // A new telegram began inside: the first was torn; resume at the new start.
          this.emit({ kind: 'error', code: 'METER_FRAMING', offset, length: torn - s, detail: 'telegram interrupted' });
          this.#frameStart = -1;
          w.start = torn;
          continue;
        }
      }
      if (crcOk === false) {
        this.emit({ kind: 'error', code: 'METER_CHECKSUM', offset, length, detail: 'CRC16 mismatch' });
      } else if (crcOk === null && this.#crcMode === 'required') {
        this.emit({ kind: 'error', code: 'METER_CHECKSUM', offset, length, detail: 'telegram without CRC' });
      } else {
        if (crcOk === true && this.#crcMode === 'auto') this.#crcMode = 'required';
        // (A telegram that ends where the shape's did and did not fit it need not be tried again.)
        const refit = fitted ?? (triedFit && j === s + n ? null : this.#shape.parse(buf, s, j, receivedAt));
        const reading = refit ?? parseDsmrTelegram(buf, s, j, receivedAt, this.#memo, this.#shape);
        this.emit({ kind: 'reading', offset, length, reading });
      }
      this.#frameStart = -1;
      w.start = frameEnd;
    }
  }

  /** A '/' in buf[from..to), or -1: '/' only ever starts a telegram (DSMR 5.0.2 §6.2). */
  #slashIn(buf: Uint8Array, from: number, to: number): number {
    const k = buf.subarray(from, to).indexOf(SLASH);
    return k < 0 ? -1 : from + k;
  }

  protected override cleared(): void {
    this.#shape.clear();
    this.#frameStart = -1;
    this.#scan = 0;
  }
}
