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
 * Four bytes per step ("slicing by 4"): CRC tables are linear over XOR, so four table steps
 * fold into T3[b0 ^ lo] ^ T2[b1 ^ hi] ^ T1[b2] ^ T0[b3], where T(k+1)[n] = (Tk[n] >>> 8) ^
 * T0[Tk[n] & 0xff] is the CRC of byte n followed by k + 1 zero bytes. Quarters the loop.
 */
function nextTable(t0: Uint16Array, tk: Uint16Array): Uint16Array {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) t[n] = (tk[n]! >>> 8) ^ t0[tk[n]! & 0xff]!;
  return t;
}

/** T0..T3 of one polynomial in one array (T_k at k * 256), so the loop holds one table. */
function slicingTables(poly: number): Uint16Array {
  const t0 = reflectedTable(poly);
  const t1 = nextTable(t0, t0);
  const t2 = nextTable(t0, t1);
  const t3 = nextTable(t0, t2);
  const all = new Uint16Array(1024);
  all.set(t0, 0);
  all.set(t1, 256);
  all.set(t2, 512);
  all.set(t3, 768);
  return all;
}

const ARC = slicingTables(0xa001);
const X25 = slicingTables(0x8408);

function run(t: Uint16Array, init: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = init;
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    const x = crc ^ bytes[i]! ^ (bytes[i + 1]! << 8);
    crc = t[768 + (x & 0xff)]! ^ t[512 + (x >>> 8)]! ^ t[256 + bytes[i + 2]!]! ^ t[bytes[i + 3]!]!;
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
