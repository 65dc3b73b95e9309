import { classifyKey } from './field-names.js';
import { isChainHash, isEvmAddress } from './hex-secrets.js';
import { MIN_IDENTIFIER } from './identifiers.js';
import type { RedactionKind } from './redaction-kind.js';
import type { RedactionPolicy } from './redaction-policy.js';
import { siblingSecrets } from './sibling-secrets.js';

/** What the walk needs from the redactor that runs it. */
export interface WalkOps {
  readonly policy: RedactionPolicy;
  string(s: string): string;
  mark(kind: RedactionKind): string;
  /** The hash that stands for an identifier (and counts it). */
  identifier(id: string): string;
  isIdentifier(s: string): boolean;
  addIdentifier(id: string | number): void;
  addLiteral(value: string, kind: 'secret' | 'label' | 'location'): void;
}

/**
 * Pass 1 over a JSON value: remember what its named fields hold — identifiers to hash, and
 * secrets, labels and places to replace when they recur in messages ("unlock failed for Oma's roof").
 */
export function collectFields(value: unknown, ops: WalkOps): void {
  if (Array.isArray(value)) {
    for (const v of value) collectFields(v, ops);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const cls = classifyKey(k);
      if (cls === 'identifier' && (typeof v === 'string' || typeof v === 'number')) ops.addIdentifier(v);
      // An address under a label's name is an address: the address rule (or policy) decides about it.
      else if (cls === 'label' && typeof v === 'string' && isEvmAddress(v)) continue;
      else if ((cls === 'secret' || cls === 'label' || cls === 'location') && typeof v === 'string') ops.addLiteral(v, cls);
      else collectFields(v, ops);
    }
  }
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

/** Pass 2: a deep copy of a JSON value with everything sensitive replaced. */
export function redactTree(value: unknown, key: string | null, ops: WalkOps): unknown {
  const cls = key === null ? null : classifyKey(key);
  const local = ops.policy === 'local-log';
  if (cls === 'secret' && present(value) && typeof value !== 'boolean') return ops.mark('secret');
  // In the household's own log an account's address is public data, whatever the field's name.
  if (local && (cls === 'label' || cls === 'address') && typeof value === 'string' && isEvmAddress(value)) return value;
  if (cls === 'label' && typeof value === 'string' && value !== '') return ops.mark('label');
  if ((cls === 'label' || cls === 'location') && value !== null && typeof value === 'object') return ops.mark(cls === 'label' ? 'label' : 'location');
  if (cls === 'location' && (typeof value === 'string' || typeof value === 'number') && value !== '') return ops.mark('location');
  if (cls === 'identifier' && (typeof value === 'string' || typeof value === 'number') && value !== '') {
    const s = String(value);
    return s.length < MIN_IDENTIFIER ? ops.mark('identifier') : ops.identifier(s);
  }
  if (!local && cls === 'address' && typeof value === 'string' && value !== '' && !isEvmAddress(value)) {
    // A field called address that is not an EVM address may be a street address: drop it.
    const s = ops.string(value);
    return s === value ? ops.mark('location') : s;
  }
  if (local && cls === 'chain-hash' && typeof value === 'string' && isChainHash(value)) return value;
  if (typeof value === 'string') return ops.string(value);
  if (typeof value === 'number') return ops.isIdentifier(String(value)) ? ops.identifier(String(value)) : value;
  // Lists under an address or chain-hash name hold the same kind of value.
  const passKey = cls === 'address' || cls === 'chain-hash' ? key : null;
  if (Array.isArray(value)) {
    const spread = siblingSecrets(value.map((v) => (typeof v === 'string' ? v : null)));
    return value.map((v, i) => {
      const kind = spread.get(i);
      return kind ? ops.mark(kind) : redactTree(v, passKey, ops);
    });
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const spread = siblingSecrets(entries.map(([k, v]) => (typeof v === 'string' && classifyKey(k) !== 'secret' ? v : null)));
    const out: Record<string, unknown> = {};
    entries.forEach(([k, v], i) => {
      const kind = spread.get(i);
      out[k] = kind ? ops.mark(kind) : redactTree(v, k, ops);
    });
    return out;
  }
  return value;
}
