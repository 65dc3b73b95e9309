import { formatUnits, getAddress, getBigInt } from 'ethers';
import type { OfferView } from '../api/wallet.js';
import type { TokenInfo } from './field-units.js';

/**
 * What the app knows of the household: its time zone (the history's calendar) and its currency
 * (the active tariff's), or null for either when nothing is known yet.
 */
export interface Household {
  readonly timeZone: string;
  readonly currency: string | null;
}

/** The offer's `token`: the chain's coin (zero address) or an ERC-20, with what could be read of it. */
export interface OfferToken {
  readonly address: string;
  readonly native: boolean;
  /** Null when the token could not be read: amounts are then shown in its base units. */
  readonly info: TokenInfo | null;
}

/**
 * A token "is" a currency when its symbol names it: the ISO code itself or the code and one
 * letter, as stablecoins are named (EURC, EURe, USDC, USDT, GBPT). No exchange rate is ever
 * assumed: for any other token (and the chain's coin) the household currency is not shown.
 */
export function tokenIsCurrency(symbol: string, currency: string): boolean {
  const s = symbol.toUpperCase().replace(/[^A-Z]/g, '');
  const c = currency.toUpperCase();
  return /^[A-Z]{3}$/.test(c) && (s === c || (s.length === c.length + 1 && s.startsWith(c)));
}

/**
 * An EnergyLedger offer (message already checked against the pinned Offer type) in plain terms.
 * Integers stay exact: kWh and token amounts are decimal strings cut from the integers, the total
 * is the contract's costOf, ceil(energyWh × pricePerKWh / 1000).
 */
export function offerView(message: Record<string, unknown>, token: OfferToken, household: Household | null): OfferView {
  const int = (name: string): bigint => getBigInt(message[name] as string | number);
  const energyWh = int('energyWh');
  const price = int('pricePerKWh');
  const total = (energyWh * price + 999n) / 1000n;
  const decimals = token.info?.decimals ?? 0;
  const currency = household?.currency ?? null;
  const amount = (units: bigint) => ({ units: units.toString(), amount: formatUnits(units, decimals) });
  return {
    seller: getAddress(String(message.seller)),
    meterId: String(message.meterId),
    energyWh: energyWh.toString(),
    energyKWh: formatUnits(energyWh, 3),
    minFillWh: int('minFillWh').toString(),
    deliveryStart: int('deliveryStart').toString(),
    deliveryEnd: int('deliveryEnd').toString(),
    expiry: int('expiry').toString(),
    timeZone: household?.timeZone ?? 'UTC',
    token: { address: getAddress(token.address), native: token.native, symbol: token.info?.symbol ?? null, decimals },
    pricePerKWh: amount(price),
    total: amount(total),
    householdCurrency: currency,
    inHouseholdCurrency: !token.native && token.info !== null && currency !== null && tokenIsCurrency(token.info.symbol, currency),
    nonce: int('nonce').toString(),
  };
}
