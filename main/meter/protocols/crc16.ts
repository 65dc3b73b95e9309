/**
 * The three CRC-16 variants the meter protocols use, table-driven (one table lookup per byte,
 * no allocation) because the decoders run them over every received byte.
 *
 * - CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0): DSMR 4/5 P1, over '/' … '!' inclusive.
 * - CRC-16/MODBUS (same poly, init 0xFFFF): Modbus RTU, sent low byte first.
 * - CRC-16/X-25 (poly 0x1021 reflected = 0x8408, init 0xFFFF, xorout 0xFFFF): SML transport
 *   (DIN EN 62056-46 FCS), sent low byte first.
 * - CRC-16/KERMIT (same poly, init 0, no xorout): what some Holley DTZ541 firmware sends instead.
 */
function reflectedTable(poly: number): Uint16Array {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * Eight bytes per step ("slicing by 8"): CRC tables are linear over XOR, so eight table steps
 * fold into one XOR of eight lookups, T7[b0 ^ lo] ^ T6[b1 ^ hi] ^ T5[b2] … ^ T0[b7], where
 * T(k+1)[n] = (Tk[n] >>> 8) ^ T0[Tk[n] & 0xff] is the CRC of byte n followed by k + 1 zero bytes.
 * The eight bytes are read as two little-endian 32-bit words: a third of the loads of a byte loop.
 */
function nextTable(t0: Uint32Array, tk: Uint32Array): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) t[n] = (tk[n]! >>> 8) ^ t0[tk[n]! & 0xff]!;
  return t;
}

/** T0..T7 of one polynomial in one array (T_k at k * 256), so the loop holds one table. */
function slicingTables(poly: number): Uint32Array {
  const all = new Uint32Array(8 * 256);
  let tk: Uint32Array = Uint32Array.from(reflectedTable(poly));
  const t0 = tk;
  for (let k = 0; k < 8; k++) {
    all.set(tk, k * 256);
    tk = nextTable(t0, tk);
  }
  return all;
}

const ARC = slicingTables(0xa001);
const X25 = slicingTables(0x8408);

/** Word reads need a little-endian host (b0 in the low byte); others take the byte loop. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** Below this, viewing the buffer as words costs more than it saves. */
const WORDS_FROM = 64;

/**
 * A 32-bit view of the last buffer seen: decoders pass the same window buffer every time, and
 * a new view per call would cost a tenth of a telegram's CRC. Holds no data of its own.
 */
let lastBuffer: ArrayBufferLike | null = null;
let lastWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
function wordsOf(buffer: ArrayBufferLike): Uint32Array<ArrayBufferLike> {
  if (buffer !== lastBuffer) {
    lastWords = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
    lastBuffer = buffer;
  }
  return lastWords;
}

function run(t: Uint32Array, init: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = init;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= WORDS_FROM) {
    const words = wordsOf(bytes.buffer);
    const off = bytes.byteOffset;
    // Bytes up to a word boundary of the underlying buffer, then eight at a time.
    for (; ((off + i) & 3) !== 0; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
    for (const last = end - 8; i <= last; i += 8) {
      const q = (off + i) >>> 2;
      const x = crc ^ words[q]!;
      const y = words[q + 1]!;
      crc =
        t[1792 + (x & 0xff)]! ^ t[1536 + ((x >>> 8) & 0xff)]! ^ t[1280 + ((x >>> 16) & 0xff)]! ^ t[1024 + (x >>> 24)]! ^
        t[768 + (y & 0xff)]! ^ t[512 + ((y >>> 8) & 0xff)]! ^ t[256 + ((y >>> 16) & 0xff)]! ^ t[y >>> 24]!;
    }
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}
export function crc16Arc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(ARC, 0, bytes, start, end);
}

export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(ARC, 0xffff, bytes, start, end);
}

export function crc16X25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(X25, 0xffff, bytes, start, end) ^ 0xffff;
}

/** CRC-16/KERMIT (X.25's polynomial, init 0, no final XOR): Holley DTZ541's SML checksum (quirks table). */
export function crc16Kermit(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(X25, 0, bytes, start, end);
}

/*
 * CRC-16/ARC is linear over XOR (init 0, no final XOR): for messages of equal length,
 * crc(a ^ b) = crc(a) ^ crc(b). A caller holding a known message and its CRC can then check a
 * new message that differs from it only in a few spans by running the CRC over those spans of
 * the difference, skipping the zero runs between them in a step or two each.
 */

/** The CRC-16/ARC register after `count` zero bytes: slicing identity with the data bytes 0. */
export function crc16ArcSkipZeros(crc: number, count: number): number {
  const t = ARC;
  let k = count;
  for (; k >= 8; k -= 8) crc = t[1792 + (crc & 0xff)]! ^ t[1536 + (crc >>> 8)]!;
  if (k >= 2) return t[(k - 1) * 256 + (crc & 0xff)]! ^ t[(k - 2) * 256 + (crc >>> 8)]!;
  if (k === 1) return (crc >>> 8) ^ t[crc & 0xff]!;
  return crc;
}

/** The CRC-16/ARC register after the bytes a[aFrom + i] ^ b[bFrom + i], i < count. */
export function crc16ArcXor(crc: number, a: Uint8Array, aFrom: number, b: Uint8Array, bFrom: number, count: number): number {
  const t = ARC;
  for (let i = 0; i < count; i++) crc = (crc >>> 8) ^ t[(crc ^ a[aFrom + i]! ^ b[bFrom + i]!) & 0xff]!;
  return crc;
}
