import { ZeroAddress, formatUnits, getAddress } from 'ethers';
import type { DisplayField } from '../api/wallet.js';

/** How the surface names an amount of a currency: symbol and decimals. */
export interface TokenInfo {
  readonly symbol: string;
  readonly decimals: number;
}

/** Context of one struct or argument list: the token its prices are in, if it names one. */
export interface UnitContext {
  readonly native: TokenInfo;
  /** Resolved from a sibling `token` field (EnergyMarket.Offer): zero address = native currency. */
  readonly token: TokenInfo | null;
}

// Checked after prices: `pricePerKWh` ends in "Wh" too.
const ENERGY_WH = /Wh$/;
const PRICE_PER_KWH = /PerKWh$/i;
const TIME = /(Start|End|start|end|expiry|Expiry|deadline|Deadline|At|Time|timestamp)$/;
const NATIVE_AMOUNT = /^(value|amount|cost|paid|wei)$|Wei$/i;

/**
 * Formats one value with its unit, by field name and Solidity type. The names are the app's own
 * conventions (EnergyMarket.Offer: energyWh, pricePerKWh per 1000 Wh, deliveryStart…), so a
 * person reads "1.500 kWh at 0.12 ETH/kWh" rather than "1500" and "120000000000000000".
 */
export function displayField(name: string, type: string, value: unknown, ctx: UnitContext): DisplayField {
  const leaf = name.split('.').pop() ?? name;
  const raw = rawString(value);
  const base = { name, type, raw };
  if (type === 'address' && typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) {
    const address = getAddress(value);
    if (leaf === 'token' && address === ZeroAddress) {
      return { ...base, display: `${address} (${ctx.native.symbol})`, unit: null };
    }
    return { ...base, display: address, unit: null };
  }
  if (/^u?int\d*$/.test(type) && /^-?[0-9]+$/.test(raw)) {
    const n = BigInt(raw);
    if (PRICE_PER_KWH.test(leaf)) {
      const token = ctx.token ?? ctx.native;
      return { ...base, display: formatUnits(n, token.decimals), unit: `${token.symbol}/kWh` };
    }
    if (ENERGY_WH.test(leaf)) return { ...base, display: formatUnits(n, 3), unit: 'kWh' };
    if (TIME.test(leaf) && n > 0n && n < 10_000_000_000n) {
      return { ...base, display: new Date(Number(n) * 1000).toISOString().replace('.000Z', 'Z'), unit: 'UTC' };
    }
    if (NATIVE_AMOUNT.test(leaf)) {
      const token = ctx.token ?? ctx.native;
      return { ...base, display: formatUnits(n, token.decimals), unit: token.symbol };
    }
    return { ...base, display: n.toString(), unit: null };
  }
  return { ...base, display: raw, unit: null };
}

function rawString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
