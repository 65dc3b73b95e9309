import { formatUnits, getAddress, type ParamType, type Result } from 'ethers';
import type { DisplayField } from '../api/wallet.js';
import type { KnownContract } from './contract-abis.js';
import { displayField, type TokenInfo, type UnitContext } from './field-units.js';

export interface DecodedCall {
  contract: string;
  name: string;
  signature: string;
  args: DisplayField[];
}

/** The call a transaction's data makes, when one of the app's contracts knows its selector. */
export function decodeCall(data: string, contracts: readonly KnownContract[], native: TokenInfo): DecodedCall | null {
  if (data.length < 10) return null;
  for (const c of contracts) {
    let parsed;
    try {
      parsed = c.iface.parseTransaction({ data });
    } catch {
      continue; // the selector matched but the arguments do not decode: try the next contract
    }
    if (!parsed) continue;
    const args: DisplayField[] = [];
    const ctx: UnitContext = { native, token: null };
    parsed.fragment.inputs.forEach((p, i) => flatten(p, parsed.args[i], p.name || `arg${i}`, ctx, args));
    return { contract: c.name, name: parsed.name, signature: parsed.signature, args };
  }
  return null;
}

function flatten(param: ParamType, value: unknown, path: string, ctx: UnitContext, out: DisplayField[]): void {
  if (param.isTuple() && param.components) {
    const r = value as Result;
    const tokenIdx = param.components.findIndex((c) => c.name === 'token' && c.type === 'address');
    const tokenAddress = tokenIdx >= 0 ? String(r[tokenIdx]) : null;
    // Prices of an ERC-20 offer are in that token's base units, never shown as the native coin.
    const token =
      tokenAddress === null ? null : /^0x0{40}$/i.test(tokenAddress) ? ctx.native : { symbol: `units of ${tokenAddress}`, decimals: 0 };
    param.components.forEach((c, i) => flatten(c, r[i], `${path}.${c.name || i}`, { ...ctx, token }, out));
    return;
  }
  if (param.isArray() && param.arrayChildren) {
    const items = value as Result;
    for (let i = 0; i < items.length; i++) flatten(param.arrayChildren, items[i], `${path}[${i}]`, ctx, out);
    return;
  }
  out.push(displayField(path, param.type, typeof value === 'bigint' ? value.toString() : value, ctx));
}

export function formatNative(wei: bigint, native: TokenInfo): string {
  return formatUnits(wei, native.decimals);
}

export function checksum(address: string): string {
  return getAddress(address);
}
