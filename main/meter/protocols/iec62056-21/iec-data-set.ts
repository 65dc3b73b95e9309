import { isDataSetId } from './iec-data-block.js';

/**
 * The shape of a data line, `ID(value)(value)…` (§6.5), checked on bytes: where a block may
 * restart after a bad one. (Whether a block whose BCC holds carries any data line at all — the
 * 8-bit BCC passes a stray "STX ETX 03" in noise — the block parser counts as it reads.)
 */

/**
 * Index just past the last ')' of a data line starting at buf[from], or -1. The ID, an OBIS
 * code, is required unless `bare` allows lines of groups alone: load-profile rows
 * "(0.412)(0.000)" and the meter's error message "(ERROR)".
 */
function dataLineEnd(buf: Uint8Array, from: number, to: number, bare: boolean): number {
  const b = (n: number) => buf[n]! & 0x7f; // 7E1 bytes may carry their parity bit
  let n = from;
  let id = '';
  for (; n < to && b(n) !== 0x28 && b(n) >= 0x20 && id.length <= 16; n++) id += String.fromCharCode(b(n));
  if (n >= to || b(n) !== 0x28 || !(isDataSetId(id) || (bare && id === ''))) return -1;
  while (n < to && b(n) === 0x28) {
    n++;
    while (n < to && b(n) !== 0x29 && b(n) !== 0x28 && b(n) >= 0x20) n++;
    if (n >= to || b(n) !== 0x29) return -1;
    n++;
  }
  return n;
}

/** buf[from..to) begins with a complete data line "ID(…)(…)" CR LF whose ID is an OBIS code. */
export function opensWithDataSet(buf: Uint8Array, from: number, to: number): boolean {
  const n = dataLineEnd(buf, from, to, false);
  return n >= 0 && n + 1 < to && (buf[n]! & 0x7f) === 0x0d && (buf[n + 1]! & 0x7f) === 0x0a;
}
