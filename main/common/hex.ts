/**
 * Hex text and bytes, the one definition for every room: RPC data and Merkle leaves (ledger),
 * frame logs and support bundles (diagnostics), meter addresses (protocols), the CLI's dumps.
 * Isomorphic (ES2022 only, tsconfig.isomorphic.json): the renderer re-checks proofs with it.
 */

const LOWER = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const UPPER = LOWER.map((h) => h.toUpperCase());

function encode(table: readonly string[], bytes: Uint8Array, separator: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i && separator) out += separator;
    out += table[bytes[i]!]!;
  }
  return out;
}

/** Lowercase hex, no prefix; `separator` between bytes (' ' for what support staff paste into an analyser). */
export function toHex(bytes: Uint8Array, separator = ''): string {
  return encode(LOWER, bytes, separator);
}

/** Uppercase hex, no prefix: meter addresses and server ids as the meter's nameplate prints them. */
export function toHexUpper(bytes: Uint8Array): string {
  return encode(UPPER, bytes, '');
}

/**
 * Decodes hex into `out` at `offset` without allocating: proof checking decodes seven sibling
 * hashes per interval, and a year is 35,040 intervals. An optional 0x prefix is allowed. Returns
 * false for anything not exactly `length` bytes of hex.
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

/** Bytes of hex text (an optional 0x prefix, whole bytes, nothing else); null for anything else. */
export function fromHex(text: string): Uint8Array | null {
  const digits = text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 32) === 120 ? text.length - 2 : text.length;
  if (digits % 2 !== 0) return null;
  const out = new Uint8Array(digits / 2);
  return hexInto(text, out, 0, out.length) ? out : null;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
