/**
 * redaction: the one redactor of the app. Whatever leaves the main process's memory for a file
 * (the log) or for another person (the support bundle) passes through it: recovery words (BIP-39
 * English and Chinese, numbered, hyphenated, in arrays, with a typo), keys (64-hex, split, xprv),
 * tokens, RPC credentials, IP and MAC addresses, user and host names, places, and the household's
 * equipment ids (hashed). `RedactionPolicy` says what public chain data may stay.
 */
export { Redactor, redact } from './redactor.js';
export type { RedactionContext, RedactionPolicy } from './redaction-policy.js';
export { marker, type RedactionCounts, type RedactionKind } from './redaction-kind.js';
export { classifyKey, type KeyClass } from './field-names.js';
export { machineContext } from './machine-context.js';
export { findRecoveryWords } from './recovery-words.js';
export { findSplitHex } from './hex-secrets.js';
export type { TextSpan } from './text-span.js';
