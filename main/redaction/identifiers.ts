import { createHmac } from 'node:crypto';
import { fromHex, toHex } from '../common/hex.js';

/**
 * Identifiers of the household's equipment (meter ids, adapter serial numbers). They are hashed,
 * not dropped, so support can still tell "the same meter" from "another meter" within one
 * bundle; the hash key is the redactor's, so hashes cannot be linked across bundles.
 */

// Shorter "serials" (a CP2102's default 0001) identify nobody, and replacing them everywhere
// would shred readings and timestamps.
export const MIN_IDENTIFIER = 6;

export function isPrintableAscii(s: string): boolean {
  return /^[\x20-\x7e]+$/.test(s);
}

export function asciiHex(s: string): string {
  return toHex(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

/** "4530303034" → "E0004" when the hex is printable ASCII (DSMR writes equipment ids this way). */
export function hexToAscii(hex: string): string | null {
  const bytes = /^[0-9a-f]+$/i.test(hex) ? fromHex(hex) : null;
  if (!bytes) return null;
  const out = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  return isPrintableAscii(out) ? out : null;
}

/** The forms an identifier is written in: as given, decoded from hex of ASCII, and as hex of ASCII. */
export function identifierForms(raw: string | number): string[] {
  const id = String(raw).trim();
  if (id.length < MIN_IDENTIFIER) return [];
  const forms = [id];
  // DSMR states equipment ids as hex of ASCII; support may also see them decoded.
  const ascii = hexToAscii(id);
  if (ascii && ascii.length >= MIN_IDENTIFIER) forms.push(ascii);
  if (isPrintableAscii(id)) forms.push(asciiHex(id));
  return forms;
}

/** The stable stand-in for an identifier under one key; both forms of a DSMR id hash alike. */
export function identifierHash(id: string, key: Uint8Array): string {
  const canonical = hexToAscii(id) ?? id;
  return `id#${createHmac('sha256', key).update(canonical.toLowerCase()).digest('hex').slice(0, 10)}`;
}

/** The byte forms of an identifier inside frames: ASCII, raw bytes of a hex id, BCD straight and reversed. */
export function identifierByteForms(id: string): Uint8Array[] {
  const forms: Uint8Array[] = [];
  if (isPrintableAscii(id)) forms.push(Uint8Array.from(id, (c) => c.charCodeAt(0)));
  if (/^[0-9a-f]+$/i.test(id) && id.length % 2 === 0) {
    const raw = fromHex(id)!;
    forms.push(raw);
    // BCD digits are the same nibbles; DL/T 645 sends them least significant byte first.
    if (/^\d+$/.test(id)) forms.push(raw.slice().reverse());
  }
  return forms;
}
