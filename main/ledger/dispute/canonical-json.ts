import { hex } from '../verify/bytes.js';
import { keccak256 } from '../verify/keccak.js';

/**
 * JSON with object keys sorted at every level and no whitespace, so a pack's digest does not
 * depend on how a file was pretty-printed or which tool re-wrote it (RFC 8785's key order; the
 * values here are strings, integers, booleans and null only).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('not a JSON number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']';
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
}

/** keccak256 of the canonical JSON's UTF-8 bytes: what the household's signature names. */
export function packDigest(body: unknown): string {
  return hex(keccak256(new TextEncoder().encode(canonicalJson(body))));
}
