import type { Quantity, QuantityUnit, Reading } from '../../reading.js';
import { crc16Arc, crc16ArcSkipZeros, crc16ArcXor } from '../crc16.js';
import { scaleInteger } from '../fixed-point.js';
import { parseDecimal, parseDsmrTimestamp, type Decimal } from './dsmr-values.js';

/**
 * The shape of the last telegram a decoder parsed, so the next one is read without parsing its
 * lines again. A meter sends the same lines every second with fixed-width values (DSMR 5.0.2
 * §6.4: F9(3,3), F5(3,3) …): only the digits of values and timestamps change. The shape keeps
 * the previous telegram's bytes and, in line order, where each value stood and what the line
 * parser made of it.
 *
 * A telegram fits the shape when it has the same length, every byte outside those value spans is
 * identical, and every value span is still a decimal (or timestamp) the line parser would accept.
 * Then the line parser's result is fully determined: the same lines, codes, groups and units,
 * with the new values. Anything else (a span that is no longer a number, a line that changed)
 * returns null and the caller parses the telegram in full, which records a new shape.
 */

const OP_TIME = 0;
const OP_SCALED = 1;
const OP_COUNT = 2;
/** Signed active power: two quantities, import and export (normal-form.ts). */
const OP_SPLIT = 3;
/** Import active power: one quantity while ≥ 0; a negative value is export (the full parser splits it). */
const OP_IMPORT_POWER = 4;
const OP_STRIDE = 6;

/** Which tariff register a quantity is: the parser sums T1 + T2 into the total the meter lacks. */
export const ShapeRole = { None: 0, ImportT1: 1, ImportT2: 2, ExportT1: 3, ExportT2: 4 } as const;
export type ShapeRole = (typeof ShapeRole)[keyof typeof ShapeRole];

export class DsmrTelegramShape {
  /**
   * The telegram the shape was taken from, '/' up to (excluding) '!', and per byte 0xff where a
   * telegram must equal it, 0 inside value spans. Views of buffers kept across shapes: a meter
   * whose telegrams keep changing shape re-records every time, and must not allocate to do it.
   */
  #bytes = new Uint8Array(0);
  #fixed = new Uint8Array(0);
  #bytesStore = new Uint8Array(1024);
  #fixedStore = new Uint8Array(1024);
  /** CRC-16/ARC of #bytes and its '!' (kept after them in #bytesStore); -1 until needed. */
  #bytesCrc = -1;
  #crc = 0;
  /** Template and mask as 32-bit words, per alignment of the telegram in its buffer; built on first use. */
  readonly #tplWords: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(0));
  readonly #maskWords: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(0));
  /** Bit a set: #tplWords[a] and #maskWords[a] hold this shape. */
  #laidOut = 0;
  #viewOf: ArrayBufferLike | null = null;
  #view: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  #ops = new Int32Array(64 * OP_STRIDE);
  #names: string[] = [];
  /** Export names of OP_SPLIT ops. */
  #exportNames: string[] = [];
  #units: QuantityUnit[] = [];
  #exps: number[] = [];
  #count = 0;
  /** Quantities a fitting telegram yields at most: its value ops plus the two derived totals. */
  #quantityCount = 0;
  /** The line parser is recording this telegram (it calls quantity() only then). */
  recording = false;
  #ready = false;
  #base = 0;
  #meterId = '';
  #raw: readonly string[] = [];
  #text: string | undefined;
  #unread = 0;
  #quirks: readonly string[] | undefined;
  #hasImportTotal = false;
  #hasExportTotal = false;
  readonly #num: Decimal = { m: 0, d: 0 };
  /** Telegrams the current shape fitted; shapes replaced in a row without fitting any. */
  #fits = 0;
  #unusedInARow = 0;
  #skipped = 0;

  // --- recording, called by the line parser while it parses a telegram in full ---

  begin(start: number): void {
    // A meter whose telegrams never repeat a shape (variable-width values) would pay for
    // recording every one: after a few shapes in a row that never fitted, record one telegram
    // in 16 and keep the old shape meanwhile.
    if (this.#unusedInARow >= 4 && (++this.#skipped & 15) !== 0) {
      this.recording = false;
      return;
    }
    this.#ready = false;
    this.recording = true;
    this.#count = 0;
    this.#base = start;
  }

  /** A line the shape cannot replay (the DSMR 2.2 gas value on its own line): record nothing. */
  abandon(): void {
    this.recording = false;
  }

  time(from: number, to: number): void {
    this.#op(OP_TIME, from, to, -1, -1, ShapeRole.None, '', 'count', 0);
  }

  /**
   * A value span the line parser read. `exportName` is set for signed active power (two
   * quantities); `importPower` for an import power register, whose negative value the full
   * parser turns into export.
   */
  quantity(
    from: number,
    to: number,
    atFrom: number,
    atTo: number,
    name: string,
    unit: QuantityUnit,
    exp: number,
    count: boolean,
    role: ShapeRole,
    exportName = '',
    importPower = false,
  ): void {
    const kind = exportName ? OP_SPLIT : importPower ? OP_IMPORT_POWER : count ? OP_COUNT : OP_SCALED;
    this.#op(kind, from, to, atFrom, atTo, role, name, unit, exp);
    if (this.recording) this.#exportNames[this.#count - 1] = exportName;
  }

  #op(kind: number, from: number, to: number, atFrom: number, atTo: number, role: ShapeRole, name: string, unit: QuantityUnit, exp: number): void {
    if (!this.recording) return;
    const k = this.#count++;
    if ((k + 1) * OP_STRIDE > this.#ops.length) {
      const grown = new Int32Array(this.#ops.length * 2);
      grown.set(this.#ops);
      this.#ops = grown;
    }
    const o = k * OP_STRIDE;
    const b = this.#base;
    this.#ops[o] = kind;
    this.#ops[o + 1] = from - b;
    this.#ops[o + 2] = to - b;
    this.#ops[o + 3] = atFrom < 0 ? -1 : atFrom - b;
    this.#ops[o + 4] = atFrom < 0 ? -1 : atTo - b;
    this.#ops[o + 5] = role;
    this.#names[k] = name;
    this.#units[k] = unit;
    this.#exps[k] = exp;
  }

  /**
   * The parse of buf[start..end) finished with `reading`: keep its shape for the next telegram.
   * Only a telegram whose '!' stands at buf[end] (as the decoder passes it) gives a shape.
   * `lineQuirks`: the quirks its lines showed, which every telegram of this shape shows too.
   */
  commit(buf: Uint8Array, start: number, end: number, reading: Reading, hasImportTotal: boolean, hasExportTotal: boolean, lineQuirks?: readonly string[]): void {
    if (!this.recording) return;
    this.recording = false;
    if (buf[end] !== 0x21) return;
    const n = end - start;
    if (this.#bytesStore.length <= n) {
      this.#bytesStore = new Uint8Array(n * 2);
      this.#fixedStore = new Uint8Array(n * 2);
    }
    this.#bytesStore.set(buf.subarray(start, end + 1)); // with its '!', for the CRC
    this.#bytes = this.#bytesStore.subarray(0, n);
    this.#bytesCrc = -1; // computed when a telegram first fits
    this.#unusedInARow = this.#fits === 0 ? this.#unusedInARow + 1 : 0;
    this.#fits = 0;
    const fixed = this.#fixedStore.subarray(0, n);
    fixed.fill(0xff);
    const ops = this.#ops;
    for (let o = 0; o < this.#count * OP_STRIDE; o += OP_STRIDE) {
      for (let i = ops[o + 1]!; i < ops[o + 2]!; i++) fixed[i] = 0;
      for (let i = ops[o + 3]!; i < ops[o + 4]!; i++) fixed[i] = 0; // -1..-1 when there is no capture time
    }
    this.#fixed = fixed;
    this.#laidOut = 0;
    this.#meterId = reading.meterId;
    this.#raw = reading.raw;
    this.#text = reading.text;
    this.#unread = reading.unread ?? 0;
    // Only what the lines show repeats with the shape; a quirk of the framing (an unpadded CRC)
    // belongs to that one telegram.
    this.#quirks = lineQuirks;
    this.#hasImportTotal = hasImportTotal;
    this.#hasExportTotal = hasExportTotal;
    this.#quantityCount = reading.quantities.length;
    this.#ready = true;
  }

  // --- the fast path ---

  /** Length of the telegram this shape fits, '/' up to (excluding) '!'; -1 while there is none. */
  get length(): number {
    return this.#ready ? this.#bytes.length : -1;
  }

  /**
   * CRC-16/ARC over '/' … '!' of the telegram the last successful parse() read. Computed from
   * the value spans alone: fixed bytes equal the template's, so by linearity the CRC is the
   * template's XOR the CRC of the difference, which is zero outside the spans.
   */
  get crc(): number {
    return this.#crc;
  }

  /**
   * The reading of buf[start..end) if it fits the shape, else null (parse it in full). A fit
   * also proves no line in buf[start..end) begins with '!': the template had none, and value
   * spans hold only digits, '.', '-', 'S' and 'W'.
   */
  parse(buf: Uint8Array, start: number, end: number, receivedAt: number): Reading | null {
    if (!this.#ready || end - start !== this.#bytes.length || !this.#fixedBytesMatch(buf, start)) return null;
    const ops = this.#ops;
    const num = this.#num;
    // Sized once: growing by push() reallocated the array several times per telegram.
    const quantities = new Array<Quantity>(this.#quantityCount);
    let q = 0;
    let meterTime: number | null = null;
    let t1 = -1, t2 = -1, e1 = -1, e2 = -1;
    const tpl = this.#bytes;
    let crc = 0;
    let pos = 0;
    for (let k = 0, o = 0; k < this.#count; k++, o += OP_STRIDE) {
      const atFrom = ops[o + 3]!;
      if (atFrom >= 0) {
        const atTo = ops[o + 4]!;
        crc = crc16ArcXor(crc16ArcSkipZeros(crc, atFrom - pos), buf, start + atFrom, tpl, atFrom, atTo - atFrom);
        pos = atTo;
      }
      const kind = ops[o]!;
      const from = start + ops[o + 1]!;
      const to = start + ops[o + 2]!;
      crc = crc16ArcXor(crc16ArcSkipZeros(crc, ops[o + 1]! - pos), buf, from, tpl, ops[o + 1]!, to - from);
      pos = ops[o + 2]!;
      if (kind === OP_TIME) {
        meterTime = parseDsmrTimestamp(buf, from, to);
        if (meterTime !== meterTime) return null;
        continue;
      }
      let at = NaN;
      if (atFrom >= 0) {
        at = parseDsmrTimestamp(buf, start + atFrom, start + ops[o + 4]!);
        if (at !== at) return null;
      }
      if (!parseDecimal(buf, from, to, num)) return null;
      let value: number;
      if (kind === OP_COUNT) {
        if (num.d !== 0) return null;
        value = num.m;
      } else value = scaleInteger(num.m, num.d, this.#exps[k]!);
      const obis = this.#names[k]!;
      const unit = this.#units[k]!;
      if (kind === OP_SPLIT) {
        const exportName = this.#exportNames[k]!;
        const pos = value > 0 ? value : 0;
        const neg = value < 0 ? -value : 0;
        if (atFrom >= 0) {
          quantities[q++] = { obis, value: pos, unit, capturedAt: at };
          quantities[q++] = { obis: exportName, value: neg, unit, capturedAt: at };
        } else {
          quantities[q++] = { obis, value: pos, unit };
          quantities[q++] = { obis: exportName, value: neg, unit };
        }
        continue;
      }
      if (kind === OP_IMPORT_POWER && value < 0) return null;
      quantities[q++] = atFrom >= 0 ? { obis, value, unit, capturedAt: at } : { obis, value, unit };
      const role = ops[o + 5]!;
      if (role === ShapeRole.ImportT1) t1 = value;
      else if (role === ShapeRole.ImportT2) t2 = value;
      else if (role === ShapeRole.ExportT1) e1 = value;
      else if (role === ShapeRole.ExportT2) e2 = value;
    }
    if (!this.#hasImportTotal && t1 >= 0 && t2 >= 0) quantities[q++] = { obis: '1.8.0', value: t1 + t2, unit: 'Wh' };
    if (!this.#hasExportTotal && e1 >= 0 && e2 >= 0) quantities[q++] = { obis: '2.8.0', value: e1 + e2, unit: 'Wh' };
    quantities.length = q;
    if (this.#bytesCrc < 0) this.#bytesCrc = crc16Arc(this.#bytesStore, 0, tpl.length + 1);
    this.#crc = crc16ArcSkipZeros(crc, tpl.length + 1 - pos) ^ this.#bytesCrc;
    this.#fits++;
    const text = this.#text;
    const reading: Reading = {
      meterId: this.#meterId,
      protocol: 'dsmr',
      meterTime,
      receivedAt,
      quantities,
      raw: this.#raw.slice(),
      ...(text !== undefined ? { text } : {}),
    };
    // Rare fields added only when present, so the common reading keeps one shape.
    if (this.#unread === 0 && this.#quirks === undefined) return reading;
    return { ...reading, ...(this.#unread ? { unread: this.#unread } : {}), ...(this.#quirks ? { quirks: this.#quirks.slice() } : {}) };
  }

  /**
   * Every byte outside the value spans equals the template's. Compared four bytes at a time:
   * the template and mask are laid out at the telegram's alignment in its buffer, so one XOR
   * and AND per word covers four bytes (and masks off the bytes before and after the telegram).
   */
  #fixedBytesMatch(buf: Uint8Array, start: number): boolean {
    const n = this.#bytes.length;
    const abs = buf.byteOffset + start;
    const align = abs & 3;
    const firstWord = abs >>> 2;
    const wordCount = (align + n + 3) >>> 2;
    if (buf.buffer !== this.#viewOf) {
      this.#view = new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >>> 2);
      this.#viewOf = buf.buffer;
    }
    const view = this.#view;
    if (firstWord + wordCount > view.length) return this.#fixedBytesMatchSlow(buf, start);
    if ((this.#laidOut & (1 << align)) === 0) this.#layOut(align, wordCount);
    const tpl = this.#tplWords[align]!;
    const mask = this.#maskWords[align]!;
    for (let k = 0; k < wordCount; k++) if (((view[firstWord + k]! ^ tpl[k]!) & mask[k]!) !== 0) return false;
    return true;
  }

  #fixedBytesMatchSlow(buf: Uint8Array, start: number): boolean {
    const t = this.#bytes;
    const fixed = this.#fixed;
    for (let i = 0; i < t.length; i++) if (fixed[i] !== 0 && t[i] !== buf[start + i]) return false;
    return true;
  }

  /** Template and mask copied at byte `align` of words (zeros around them). */
  #layOut(align: number, wordCount: number): void {
    for (const [into, bytes] of [
      [this.#tplWords, this.#bytes],
      [this.#maskWords, this.#fixed],
    ] as const) {
      if (into[align]!.length < wordCount) into[align] = new Uint32Array(wordCount * 2);
      const words = into[align]!;
      const wordBytes = new Uint8Array(words.buffer, 0, wordCount * 4);
      wordBytes.fill(0);
      wordBytes.set(bytes, align);
    }
    this.#laidOut |= 1 << align;
  }

  clear(): void {
    this.#ready = false;
    this.recording = false;
  }
}
