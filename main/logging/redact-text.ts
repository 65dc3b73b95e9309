/**
 * Last line of defence for logs: masks anything shaped like a secret. Services should never log
 * secrets in the first place; this catches the mistake.
 *  - 32-byte hex (private keys, salts, tokens): 0x + 64 hex, or 64 bare hex
 *  - BIP-39 phrases: 12 or more lowercase words of 3–8 letters in a row
 *  - token= query parameters (the browser host's per-launch token)
 */
const HEX32 = /\b(0x)?[0-9a-fA-F]{64}\b/g;
const MNEMONIC = /\b(?:[a-z]{3,8}\s+){11,23}[a-z]{3,8}\b/g;
const TOKEN_PARAM = /([?&#]token=)[^&\s"']+/g;

export function redactText(text: string): string {
  return text
    .replace(TOKEN_PARAM, '$1[redacted]')
    .replace(HEX32, '[redacted-hex32]')
    .replace(MNEMONIC, '[redacted-words]');
}
