import { TypedDataEncoder, id } from 'ethers';
import { WattletError } from '../api/errors.js';
import type { TypedDataRequest } from '../api/wallet.js';

export type TypedDataTypes = Record<string, Array<{ name: string; type: string }>>;

/** A request that passed every check: what the surface shows is exactly what will be signed. */
export interface CheckedTypedData {
  /** The struct types, without EIP712Domain (ethers derives that from the domain itself). */
  readonly types: TypedDataTypes;
  /** The root struct, as ethers' encoder derives it from `types`: the one the signature is over. */
  readonly primaryType: string;
  /** keccak256 of the primary type's canonical encoding (EIP-712 `typeHash`). */
  readonly typeHash: string;
}

/** Why a typed-data request was refused; travels as facts.reason of WALLET_REQUEST_INVALID. */
export type TypedDataProblem =
  | 'unknown-primary-type'
  | 'primary-type-not-root'
  | 'unreachable-type'
  | 'domain-type-mismatch'
  | 'does-not-encode'
  | 'unknown-key'
  | 'not-a-struct';

// EIP-712 §"Definition of domainSeparator": the members in this order, each only when present.
const DOMAIN_FIELDS = [
  ['name', 'string'],
  ['version', 'string'],
  ['chainId', 'uint256'],
  ['verifyingContract', 'address'],
  ['salt', 'bytes32'],
] as const;

/**
 * Refuses typed data whose signature would cover something the approval surface does not show.
 * ethers signs over the root struct it derives from `types`, whatever `primaryType` says, and
 * skips message keys its types do not name; a request could otherwise show a harmless struct
 * while a bigger one (with a beneficiary and an amount) is signed, or carry fields that mean
 * something to another reader of the same message. So:
 *
 *  - `primaryType` must be the encoder's root (TypedDataEncoder.getPrimaryType);
 *  - every type in `types` must be reachable from it (no unused, no detached cyclic types);
 *  - an EIP712Domain type, if given, must be exactly the domain's members;
 *  - the message must encode, and no object in it (at any depth) may hold a key its type lacks.
 */
export function checkTypedData(req: TypedDataRequest): CheckedTypedData {
  const { EIP712Domain: domainType, ...types } = req.types;
  const primaryType = req.primaryType;
  if (!Object.hasOwn(types, primaryType)) {
    refuse('unknown-primary-type', `No struct ${primaryType} in the request's types`, { primaryType });
  }
  if (domainType) checkDomainType(domainType, req.domain);

  // Checked before the encoder so each refusal says precisely what is wrong.
  const referenced = new Set(Object.values(types).flatMap((fields) => fields.map((f) => baseOf(f.type))));
  const roots = Object.keys(types).filter((n) => !referenced.has(n));
  if (!roots.includes(primaryType)) {
    refuse('primary-type-not-root', `${primaryType} is not the root struct: another struct of the request contains it`, {
      primaryType,
      root: roots.length === 1 ? roots[0]! : null,
    });
  }
  const reached = reachable(types, primaryType);
  const unused = Object.keys(types).find((n) => !reached.has(n));
  if (unused !== undefined) {
    refuse('unreachable-type', `The struct ${unused} is not part of ${primaryType}`, { primaryType, type: unused });
  }

  let encoder: TypedDataEncoder;
  try {
    encoder = TypedDataEncoder.from(types);
    TypedDataEncoder.hash(req.domain, types, req.message);
  } catch (e) {
    refuse('does-not-encode', `The typed data does not encode: ${errorText(e)}`, { primaryType });
  }
  // The encoder is the authority on what gets signed: its root must be the shown type.
  if (encoder.primaryType !== primaryType) {
    refuse('primary-type-not-root', `The encoder signs ${encoder.primaryType}, not ${primaryType}`, {
      primaryType,
      root: encoder.primaryType,
    });
  }
  checkKeys(types, primaryType, req.message, '');
  return { types, primaryType, typeHash: id(encoder.encodeType(primaryType)) };
}

function checkDomainType(fields: ReadonlyArray<{ name: string; type: string }>, domain: TypedDataRequest['domain']): void {
  const expected = DOMAIN_FIELDS.filter(([name]) => domain[name] !== undefined);
  const same =
    fields.length === expected.length && fields.every((f, i) => f.name === expected[i]?.[0] && f.type === expected[i]?.[1]);
  if (!same) {
    refuse('domain-type-mismatch', 'The EIP712Domain type does not list exactly the domain members given', {
      expected: expected.map(([n, t]) => `${t} ${n}`).join(','),
    });
  }
}

function reachable(types: TypedDataTypes, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !Object.hasOwn(types, name)) continue;
    seen.add(name);
    for (const f of types[name] ?? []) stack.push(baseOf(f.type));
  }
  return seen;
}

/** Walks the message along the types: every object's keys must be fields of its struct. */
function checkKeys(types: TypedDataTypes, typeName: string, value: unknown, path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    refuse('not-a-struct', `${path || typeName} must be an object (struct ${typeName})`, { path: path || typeName });
  }
  const fields = types[typeName] ?? [];
  const names = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(value)) {
    if (!names.has(key)) {
      const at = path ? `${path}.${key}` : key;
      refuse('unknown-key', `${at} is not a field of ${typeName}`, { path: at, type: typeName });
    }
  }
  const obj = value as Record<string, unknown>;
  for (const f of fields) {
    const base = baseOf(f.type);
    if (!Object.hasOwn(types, base)) continue;
    const at = path ? `${path}.${f.name}` : f.name;
    checkNested(types, base, f.type.slice(base.length), obj[f.name], at);
  }
}

/** `dims` is what follows the struct name ("", "[]", "[2][]"): arrays are walked down to the structs. */
function checkNested(types: TypedDataTypes, base: string, dims: string, value: unknown, path: string): void {
  if (dims === '') {
    checkKeys(types, base, value, path);
    return;
  }
  // The encoder already required an array of the right length here.
  if (!Array.isArray(value)) return;
  const inner = dims.replace(/\[\d*\]$/, '');
  value.forEach((item, i) => checkNested(types, base, inner, item, `${path}[${i}]`));
}

/** The struct or atomic type name without array dimensions, as ethers' splitArray reads it. */
function baseOf(type: string): string {
  const i = type.indexOf('[');
  return i < 0 ? type : type.slice(0, i);
}

function refuse(reason: TypedDataProblem, message: string, facts: Record<string, string | null>): never {
  throw new WattletError('WALLET_REQUEST_INVALID', message, { reason, ...facts });
}

function errorText(e: unknown): string {
  // ethers messages name the offending field and type, not values worth hiding (no secrets here).
  return (e instanceof Error ? e.message : String(e)).slice(0, 160);
}
