import type { TextSpan } from './text-span.js';

/**
 * Hex that may be key material. A 32-byte private key is 64 hex digits; written down it is often
 * broken up (groups of 4 or 8, two lines, two quoted halves, a byte dump), and every piece of it
 * is part of the secret.
 */

/** One unbroken run of 32 or more hex digits (keys, salts, signatures, Smarty keys of 32 hex). */
export const HEX_RUN = /(?:0x)?[0-9a-fA-F]{32,}/g;
/** An EVM address standing on its own. */
export const EVM_ADDRESS = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g;
export const isEvmAddress = (s: string) => /^0x[0-9a-fA-F]{40}$/.test(s);
export const isChainHash = (s: string) => /^0x[0-9a-fA-F]{64}$/.test(s);

// A piece: hex digits not glued to other letters or digits (so "cafe" in "cafeteria" is none).
// A JSON escape before a piece (…\\n04fe…) is a line break, not a letter.
const PIECE = /(?:(?<=\\[nrt])|(?<![0-9A-Za-z]))(?:0x)?[0-9a-fA-F]+(?![0-9A-Za-z])/g;
// What may sit between pieces of one key: spaces, line breaks (also as JSON escapes), quotes,
// commas, plus signs of string concatenation, colons and hyphens of grouped notation.
const JOIN = /^(?:[\s"'`,+|:;\-[\]()]|\\[nrt"'])+$/;
const MAX_JOIN = 8;
/** Digits in all pieces together: a split key is 64; 40 leaves room for a lost piece and stays above a UUID (32). */
export const SPLIT_MIN_DIGITS = 40;

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

/**
 * Sequences of two or more hex pieces that together hold at least 40 hex digits with both
 * letters and digits among them (a random key has both; a list of numbers or timestamps has no
 * letters). A piece that is a whole 0x value of its own (an address, a transaction hash) is a
 * value, not a piece, so a list of addresses is not taken for one split key.
 */
export function findSplitHex(text: string): TextSpan[] {
  if (hexDigits(text) < SPLIT_MIN_DIGITS) return [];
  const pieces: Piece[] = [];
  for (const m of text.matchAll(PIECE)) {
    const raw = m[0];
    const whole0x = raw.startsWith('0x') && (raw.length === 42 || raw.length === 66);
    pieces.push({ start: m.index, end: m.index + raw.length, digits: whole0x ? '' : raw.replace(/^0x/, '') });
  }
  const spans: TextSpan[] = [];
  let from = 0;
  const flush = (to: number) => {
    if (to - from >= 2) {
      const digits = pieces.slice(from, to).map((p) => p.digits).join('');
      if (digits.length >= SPLIT_MIN_DIGITS && /[a-fA-F]/.test(digits) && /\d/.test(digits)) {
        spans.push({ start: pieces[from]!.start, end: pieces[to - 1]!.end });
      }
    }
  };
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const prev = pieces[i - 1];
    const joined = prev && p.digits !== '' && prev.digits !== '' && p.start - prev.end <= MAX_JOIN && JOIN.test(text.slice(prev.end, p.start));
    if (!joined) {
      flush(i);
      from = i;
    }
  }
  flush(pieces.length);
  return spans;
}

function hexDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20; // fold A-F to a-f
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) n++;
  }
  return n;
}
