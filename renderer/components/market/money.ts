import type { RatesJson, TokenJson } from '../../../main/api/market.js';
import { formatCoin } from './coin.js';

type NumberFormat = (value: number | bigint, options?: Intl.NumberFormatOptions) => string;

/**
 * Money on the market's screens. Amounts arrive as decimal strings of a token's smallest unit; a
 * token that is a currency (EURD is the euro) is shown as that currency ("€0.19"), any other by its
 * symbol ("0.00019 ETH"). Exact: the decimal text is cut from the integer, and Intl formats that
 * text (never a float), so no unit is lost on the way.
 */
export function formatTokenAmount(units: string | bigint, token: Pick<TokenJson, 'symbol' | 'decimals' | 'currency'>, number: NumberFormat, maxFraction = 6): string {
  const text = formatCoin(units, Math.min(token.decimals, maxFraction), token.decimals);
  if (token.currency) return currencyText(text, token.currency, number);
  return `${text} ${token.symbol}`;
}

/** A per-kWh price in the token ("€0.19/kWh"). */
export function formatTokenPrice(units: string | bigint, token: Pick<TokenJson, 'symbol' | 'decimals' | 'currency'>, number: NumberFormat): string {
  return `${formatTokenAmount(units, token, number)}/kWh`;
}

/** A tariff's milli-minor per kWh (38500 = €0.385) as that currency per kWh. */
export function formatTariffRate(milliMinor: number, rates: Pick<RatesJson, 'currency' | 'minorUnitDigits'>, number: NumberFormat): string {
  const text = formatCoin(BigInt(milliMinor), rates.minorUnitDigits + 3, rates.minorUnitDigits + 3);
  return `${currencyText(text, rates.currency, number)}/kWh`;
}

function currencyText(decimalText: string, currency: string, number: NumberFormat): string {
  const fraction = decimalText.split('.')[1]?.length ?? 0;
  // Intl formats the decimal text exactly (ECMA-402 takes strings as decimals): the currency's two
  // digits at least, more when the amount has them (a price of €0.1765 per kWh).
  return number(decimalText as unknown as number, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: Math.max(2, fraction) });
}

/** "1.25" in a token with 6 decimals → "1250000"; null when not a plain non-negative decimal. */
export function parseTokenAmount(text: string, decimals: number): string | null {
  const m = /^\s*(\d*)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (!m[1] && !m[2])) return null;
  if ((m[2] ?? '').length > decimals) return null;
  const frac = (m[2] ?? '').padEnd(decimals, '0');
  return (BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac || '0')).toString();
}
