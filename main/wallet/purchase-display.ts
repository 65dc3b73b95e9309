import { formatUnits, getAddress } from 'ethers';
import type { PurchaseView } from '../api/wallet.js';
import type { Household, OfferToken } from './offer-display.js';
import { tokenIsCurrency } from './offer-display.js';

/** EnergyMarket.OfferRecord as the ledger answers offerRecord(hash): what a purchase is described from. */
export interface LedgerOfferRecord {
  readonly seller: string;
  readonly meterId: string;
  readonly token: string;
  readonly pricePerKWh: bigint;
  readonly deliveryStart: bigint;
  readonly deliveryEnd: bigint;
}

/**
 * A fill of `energyWh` in plain terms, from the ledger's record of the offer: the seller, the
 * energy and window, the price and the amount paid into escrow (the contract's costOf,
 * ceil(energyWh × price / 1000)), and when the buyer may take everything back if the seller
 * never proves delivery (`graceSeconds` after the window).
 */
export function purchaseView(
  offerHash: string,
  record: LedgerOfferRecord,
  energyWh: bigint,
  token: OfferToken,
  household: Household | null,
  graceSeconds: bigint,
): PurchaseView {
  const decimals = token.info?.decimals ?? 0;
  const amount = (units: bigint) => ({ units: units.toString(), amount: formatUnits(units, decimals) });
  const currency = household?.currency ?? null;
  return {
    offerHash,
    seller: getAddress(record.seller),
    meterId: record.meterId,
    energyWh: energyWh.toString(),
    energyKWh: formatUnits(energyWh, 3),
    deliveryStart: record.deliveryStart.toString(),
    deliveryEnd: record.deliveryEnd.toString(),
    timeZone: household?.timeZone ?? 'UTC',
    token: { address: getAddress(token.address), native: token.native, symbol: token.info?.symbol ?? null, decimals },
    pricePerKWh: amount(record.pricePerKWh),
    amount: amount((energyWh * record.pricePerKWh + 999n) / 1000n),
    householdCurrency: currency,
    inHouseholdCurrency: !token.native && token.info !== null && currency !== null && tokenIsCurrency(token.info.symbol, currency),
    reclaimFrom: (record.deliveryEnd + graceSeconds).toString(),
  };
}
