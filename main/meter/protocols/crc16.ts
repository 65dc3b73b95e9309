/**
 * The three CRC-16 variants the meter protocols use, table-driven (one table lookup per byte,
 * no allocation) because the decoders run them over every received byte.
 *
 * - CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0): DSMR 4/5 P1, over '/' … '!' inclusive.
 * - CRC-16/MODBUS (same poly, init 0xFFFF): Modbus RTU, sent low byte first.
 * - CRC-16/X-25 (poly 0x1021 reflected = 0x8408, init 0xFFFF, xorout 0xFFFF): SML transport
 *   (DIN EN 62056-46 FCS), sent low byte first.
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
 * Two bytes per step ("slicing by 2"): CRC tables are linear over XOR, so two table steps
 * fold into T0[hi] ^ T1[lo] with T1[n] = (T0[n] >>> 8) ^ T0[T0[n] & 0xff]. Halves the loop.
 */
function secondTable(t0: Uint16Array): Uint16Array {
  const t1 = new Uint16Array(256);
  for (let n = 0; n < 256; n++) t1[n] = (t0[n]! >>> 8) ^ t0[t0[n]! & 0xff]!;
  return t1;
}

const ARC = reflectedTable(0xa001);
const ARC2 = secondTable(ARC);
const X25 = reflectedTable(0x8408);
const X252 = secondTable(X25);

function run(t0: Uint16Array, t1: Uint16Array, init: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = init;
  let i = start;
  for (const last = end - 1; i < last; i += 2) {
    const x = crc ^ bytes[i]! ^ (bytes[i + 1]! << 8);
    crc = t0[x >>> 8]! ^ t1[x & 0xff]!;
  }
  if (i < end) crc = (crc >>> 8) ^ t0[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

export function crc16Arc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(ARC, ARC2, 0, bytes, start, end);
}

export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(ARC, ARC2, 0xffff, bytes, start, end);
}

export function crc16X25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return run(X25, X252, 0xffff, bytes, start, end) ^ 0xffff;
}
