import { getAddress } from 'ethers';
import type { DisplayField } from '../api/wallet.js';
import { displayField, type TokenInfo, type UnitContext } from './field-units.js';
import type { CheckedTypedData, TypedDataTypes } from './typed-data-check.js';

/** Resolves a struct's `token` address to its symbol and decimals (null when unknown). */
export type TokenLookup = (address: string) => Promise<TokenInfo | null>;

/**
 * Every field of the signed struct, depth first (nested structs and array items by dotted path),
 * with units. Takes only checked typed data (checkTypedData): the struct walked here is the one
 * the encoder signs, and the message holds nothing the walk would skip.
 */
export async function typedDataFields(
  checked: CheckedTypedData,
  message: Record<string, unknown>,
  native: TokenInfo,
  lookupToken: TokenLookup,
): Promise<DisplayField[]> {
  const out: DisplayField[] = [];
  await walk(checked.types, checked.primaryType, message, '', native, lookupToken, out);
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
    await member(types, f.type, obj[f.name], prefix ? `${prefix}.${f.name}` : f.name, ctx, lookupToken, out);
  }
}

/** One value of `type`: a struct is walked, an array (of any dimensions) item by item, an atom shown. */
async function member(
  types: TypedDataTypes,
  type: string,
  value: unknown,
  path: string,
  ctx: UnitContext,
  lookupToken: TokenLookup,
  out: DisplayField[],
): Promise<void> {
  const arrayOf = /^(.*)\[\d*\]$/.exec(type);
  if (arrayOf && Array.isArray(value)) {
    for (const [i, item] of value.entries()) await member(types, arrayOf[1] ?? '', item, `${path}[${i}]`, ctx, lookupToken, out);
  } else if (Object.hasOwn(types, type)) {
    await walk(types, type, value, path, ctx.native, lookupToken, out);
  } else {
    out.push(displayField(path, type, value, ctx));
  }
}
