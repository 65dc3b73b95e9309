import { isDataSetId } from './iec-data-block.js';

/**
 * The shape of a data line, `ID(value)(value)…` CR LF (§6.5), checked on bytes: where a block may
 * restart after a bad one, and whether a block whose BCC holds carries any data at all (the
 * 8-bit BCC passes a stray "STX ETX 03" in noise).
 */

/** buf[from..to) begins with a complete data line "ID(…)(…)" CR LF whose ID is an OBIS code. */
export function opensWithDataSet(buf: Uint8Array, from: number, to: number): boolean {
  const b = (n: number) => buf[n]! & 0x7f; // 7E1 bytes may carry their parity bit
  let n = from;
  let id = '';
  for (; n < to && b(n) !== 0x28 && b(n) >= 0x20 && id.length <= 16; n++) id += String.fromCharCode(b(n));
  if (n >= to || b(n) !== 0x28 || !isDataSetId(id)) return false;
  while (n < to && b(n) === 0x28) {
    n++;
    while (n < to && b(n) !== 0x29 && b(n) !== 0x28 && b(n) >= 0x20) n++;
    if (n >= to || b(n) !== 0x29) return false;
    n++;
  }
  return n + 1 < to && b(n) === 0x0d && b(n + 1) === 0x0a;
}

/** Some line of buf[from..to) is a whole data line. */
export function holdsDataSet(buf: Uint8Array, from: number, to: number): boolean {
  for (let n = from; n < to; n++) {
    if ((n === from || (buf[n - 1]! & 0x7f) === 0x0a) && opensWithDataSet(buf, n, to)) return true;
  }
  return false;
}
