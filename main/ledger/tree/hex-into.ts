/**
 * Decodes 0x-hex into `out` at `offset` without allocating: proof checking decodes seven sibling
 * hashes per interval, and a year is 35,040 intervals. Returns false for anything not exactly
 * `length` bytes of hex.
 */
export function hexInto(text: string, out: Uint8Array, offset: number, length: number): boolean {
  const start = text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 32) === 120 ? 2 : 0;
  if (text.length - start !== length * 2) return false;
  for (let i = 0; i < length; i++) {
    const hi = nibble(text.charCodeAt(start + 2 * i));
    const lo = nibble(text.charCodeAt(start + 2 * i + 1));
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
