import { TypedDataEncoder, getAddress } from 'ethers';
import { WattletError } from '../api/errors.js';
import type { DisplayField, TypedDataRequest } from '../api/wallet.js';
import { displayField, type TokenInfo, type UnitContext } from './field-units.js';

export type TypedDataTypes = Record<string, Array<{ name: string; type: string }>>;

/** Resolves a struct's `token` address to its symbol and decimals (null when unknown). */
export type TokenLookup = (address: string) => Promise<TokenInfo | null>;

/** The request's types without EIP712Domain, which ethers derives from the domain itself. */
export function structTypes(req: TypedDataRequest): TypedDataTypes {
  const { EIP712Domain: _domain, ...rest } = req.types;
  return rest;
}

/**
 * Every field of the message, depth first, with units. The encoder is run first so a malformed
 * request (unknown type, missing field, value out of range) is refused before anyone is asked.
 */
export async function typedDataFields(
  req: TypedDataRequest,
  native: TokenInfo,
  lookupToken: TokenLookup,
): Promise<DisplayField[]> {
  const types = structTypes(req);
  try {
    TypedDataEncoder.from(types);
    TypedDataEncoder.hash(req.domain, types, req.message);
  } catch (e) {
    throw new WattletError('WALLET_REQUEST_INVALID', `The typed data does not encode: ${errorText(e)}`, {
      primaryType: req.primaryType,
    });
  }
  if (!types[req.primaryType]) {
    throw new WattletError('WALLET_REQUEST_INVALID', `No type ${req.primaryType} in the request`, {
      primaryType: req.primaryType,
    });
  }
  const out: DisplayField[] = [];
  await walk(types, req.primaryType, req.message, '', native, lookupToken, out);
  return out;
}

async function walk(
  types: TypedDataTypes,
  typeName: string,
  value: unknown,
  prefix: string,
  native: TokenInfo,
  lookupToken: TokenLookup,
  out: DisplayField[],
): Promise<void> {
  const fields = types[typeName] ?? [];
  const obj = (value ?? {}) as Record<string, unknown>;
  const tokenField = fields.find((f) => f.name === 'token' && f.type === 'address');
  let token: TokenInfo | null = null;
  if (tokenField && typeof obj.token === 'string') {
    const address = getAddress(obj.token);
    // An unreadable token is shown in its base units, named by address, never as the native coin.
    token = /^0x0{40}$/i.test(address) ? native : ((await lookupToken(address)) ?? { symbol: `units of ${address}`, decimals: 0 });
  }
  const ctx: UnitContext = { native, token };
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    const v = obj[f.name];
    const arrayOf = /^(.*)\[\d*\]$/.exec(f.type);
    if (arrayOf && Array.isArray(v)) {
      const inner = arrayOf[1] ?? '';
      for (const [i, item] of v.entries()) {
        if (types[inner]) await walk(types, inner, item, `${path}[${i}]`, native, lookupToken, out);
        else out.push(displayField(`${path}[${i}]`, inner, item, ctx));
      }
    } else if (types[f.type]) {
      await walk(types, f.type, v, path, native, lookupToken, out);
    } else {
      out.push(displayField(path, f.type, v, ctx));
    }
  }
}

function errorText(e: unknown): string {
  // ethers messages name the offending field and type, not values worth hiding (no secrets here).
  return (e instanceof Error ? e.message : String(e)).slice(0, 160);
}
