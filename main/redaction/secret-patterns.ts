/**
 * Secrets recognised by their shape alone (the redactor replaces each match whole).
 */

/** A JSON Web Token: three base64url parts, the first a JSON header ("eyJ"). */
export const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
/** Authorization header values. */
export const AUTH_HEADER = /\b(Bearer|Basic|Token)\s+[\w.~+/=-]{8,}/gi;
/** `name=value` or `name: value` where the name says secret. */
export const KV_SECRET =
  /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|passwd|pwd|passphrase|private[_-]?key|mnemonic|seed|key)\s*[=:]\s*)("?)[^\s"&,;]+/gi;
/**
 * BIP-32 extended keys in Base58Check: x/t (BIP-32 mainnet/testnet), y/z/u/v (BIP-49/84), and
 * SLIP-132's capitalised multisig forms (Y, Z, U, V). Private ones move money; public ones reveal
 * every address of the account.
 */
export const EXTENDED_KEY = /\b[xyztuvYZUV](?:prv|pub)[1-9A-HJ-NP-Za-km-z]{50,}/g;
/** Long strings mixing upper and lower case and digits: API keys, session tokens, WIF keys. */
export const TOKEN_LIKE = /(?<![\w+/=-])[A-Za-z0-9+/_=-]{32,}(?![\w+/=-])/g;
export const looksRandom = (t: string) => /[A-Z]/.test(t) && /[a-z]/.test(t) && /\d/.test(t);
