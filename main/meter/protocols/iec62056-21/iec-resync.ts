import { ETX } from './iec-messages.js';
import { opensWithDataSet } from './iec-data-set.js';

/**
 * Where a block may restart after a block whose BCC failed (buf[blockStart] is its STX/SOH, its
 * ETX at etx). If that block's ETX was lost it ran into the next block, which must not be lost;
 * but an STX that a damaged byte made in the middle of a line must not start one, because the
 * tail after it passes the 8-bit BCC one time in 256 and would yield a reading of half a block
 * (property-test counterexamples: '.' flipped to 0x82, seed 1884757833; ')' flipped to 0x02,
 * seed -697313683).
 *
 * A candidate at k (STX/SOH once the parity bit is masked) is a block start when:
 *  - it stands where blocks begin: right after the bad block's first byte, after a line end,
 *    after an ETX + BCC, or after a line end and the one or two bytes of a damaged or lost
 *    ETX + BCC; or
 *  - (plain STX/SOH only) the bad block was no data before k: a control byte no data line
 *    holds means it began at a stray STX in noise; or
 *  - (plain STX/SOH only) the bad block holds no complete data line before k (so k is not in
 *    the middle of a real block) and the block at k opens with a whole data set "ID(…)".
 */
export function mayRestartAt(buf: Uint8Array, blockStart: number, k: number, etx: number): boolean {
  const at = (n: number) => (n > blockStart ? buf[n]! & 0x7f : -1);
  if (
    k === blockStart + 1 ||
    at(k - 1) === 0x0a ||
    at(k - 1) === 0x0d ||
    at(k - 1) === ETX ||
    at(k - 2) === ETX ||
    at(k - 2) === 0x0a ||
    at(k - 3) === 0x0a
  ) {
    return true;
  }
  if ((buf[k]! & 0x80) !== 0) return false;
  let lineStart = blockStart + 1;
  for (let n = blockStart + 1; n < k; n++) {
    const c = buf[n]! & 0x7f;
    // STX/SOH bytes here were refused as starts already; any other control byte is noise.
    if ((c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x02 && c !== 0x01) || c === 0x7f) return true;
    if (c === 0x0a) {
      if (opensWithDataSet(buf, lineStart, n + 1)) return false; // inside a real block: k is damage
      lineStart = n + 1;
    }
  }
  return opensWithDataSet(buf, k + 1, etx);
}
