import { crc16Arc } from '../crc16.js';
import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { Reading } from '../../reading.js';
import type { DecodeListener } from '../decoder.js';
import { DsmrTelegramShape } from './dsmr-shape.js';
import { parseDsmrTelegram } from './dsmr-telegram.js';
import { DsmrParseMemo } from './dsmr-text.js';

const SLASH = 0x2f;
const BANG = 0x21;
/** DSMR 5.0.2 telegrams with a full text message stay well under 3 kB; anything longer is noise. */
export const DSMR_MAX_TELEGRAM = 8192;
/** The quirk a CRC written without its leading zeros ("!B9F" for 0B9F) shows (quirks table). */
export const QUIRK_CRC_UNPADDED = 'dsmr-crc-unpadded';

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

function withQuirk(r: Reading, quirk: string): Reading {
  return { ...r, quirks: r.quirks ? [...r.quirks, quirk] : [quirk] };
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
      // marker. A fit proves no telegram start inside; any other telegram is searched for one
      // (below), whether or not it carries a CRC: DSMR 2.2/3 telegrams have none.
      const n = this.#shape.length;
      const triedFit = n > 0 && s + n < end && buf[s + n] === BANG;
      const fitted = triedFit ? this.#shape.parse(buf, s, s + n, receivedAt) : null;
      // indexOf from an index, not on a subarray (a view allocated per telegram was a tenth of
      // its cost); a hit past `end`, in bytes the window holds from before, is no hit.
      const bang = fitted ? s + n : buf.indexOf(BANG, this.#scan);
      const bangAt = bang < 0 || bang >= end ? -1 : bang - this.#scan;
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
      let unpadded = false;
      if (hex(c1) >= 0) {
        // Up to four hex digits. Fewer, then CR: a CRC written without its leading zeros
        // ("!B9F" for 0B9F, some heat-link devices); dsmr_parser's telegram buffer takes it too.
        let k = j + 2;
        while (k < end && k < j + 5 && hex(buf[k]!) >= 0) k++;
        if (k >= end) {
          this.#scan = j;
          return;
        }
        const digits = k - (j + 1);
        if (digits === 4) {
          const h1 = hex(buf[j + 2]!), h2 = hex(buf[j + 3]!), h3 = hex(buf[j + 4]!);
          frameEnd = j + 5;
          crcOk = (fitted ? this.#shape.crc : crc16Arc(buf, s, j + 1)) === ((hex(c1) << 12) | (h1 << 8) | (h2 << 4) | h3);
        } else if (buf[k] === 0x0d) {
          let v = 0;
          for (let m = j + 1; m < k; m++) v = (v << 4) | hex(buf[m]!);
          frameEnd = k;
          crcOk = (fitted ? this.#shape.crc : crc16Arc(buf, s, j + 1)) === v;
          unpadded = crcOk;
        } else {
          frameEnd = k;
          crcOk = false;
        }
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
      // A CRC that holds proves the bytes one telegram (a torn one followed by another would
      // need the CRC of both by chance); one that fails or is missing (DSMR 2.2/3) proves
      // nothing: look for a second telegram start.
      if (!fitted && crcOk !== true) {
        const torn = this.#telegramStartIn(buf, s + 1, j);
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
        const reading = refit
          ? unpadded
            ? withQuirk(refit, QUIRK_CRC_UNPADDED)
            : refit
          : parseDsmrTelegram(buf, s, j, receivedAt, this.#memo, this.#shape, unpadded ? QUIRK_CRC_UNPADDED : undefined);
        this.emitReading(offset, length, reading);
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

  /**
   * The start of another telegram in buf[from..to), or -1: a '/' followed by the identification's
   * manufacturer (three letters) and baud digit ("/ISk5", "/KFM5", "/ESY5"), as every telegram
   * begins (DSMR 5.0.2 §6.2, IEC 62056-21 §6.3.2). One search per fully parsed telegram.
   */
  #telegramStartIn(buf: Uint8Array, from: number, to: number): number {
    // indexOf from an index, not on a subarray: no view allocated per telegram. It may look past
    // `to` (at the next telegram's '/', usually right there); a hit past `to` is no hit.
    for (let at = buf.indexOf(SLASH, from); at >= 0 && at < to; at = buf.indexOf(SLASH, at + 1)) {
      if (at + 4 < to && isLetter(buf[at + 1]!) && isLetter(buf[at + 2]!) && isLetter(buf[at + 3]!) && buf[at + 4]! >= 48 && buf[at + 4]! <= 57) return at;
    }
    return -1;
  }

  protected override partialStart(): number {
    return this.#frameStart;
  }

  protected override cleared(): void {
    this.#shape.clear();
    this.#frameStart = -1;
    this.#scan = 0;
  }
}
