import { TypedDataEncoder, ZeroAddress } from 'ethers';
import { INTERVAL_SECONDS, SECONDS_PER_DAY } from '../ledger/day.js';

/**
 * A sell offer as the seller signs it (EIP-712 typed data) and EnergyMarket.publishOffer checks it.
 * Field order and types are the contract's OFFER_TYPEHASH; change both together or signatures break.
 * Wh and seconds are integers well below 2^53 (plain numbers); money is bigint (wei or token units).
 */
export interface Offer {
  readonly seller: string;
  readonly meterId: string; // bytes32 hex
  readonly energyWh: number;
  /** The smallest purchase, unless it takes all that is left; ceil(energyWh / minFillWh) <= MAX_BUYERS. */
  readonly minFillWh: number;
  /** Per 1000 Wh, in wei (token = zero address) or the ERC-20 token's smallest unit. */
  readonly pricePerKWh: bigint;
  readonly token: string;
  /** Unix seconds, multiples of 900; end exclusive. */
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  /** Fills are accepted while block time < expiry; expiry <= deliveryEnd. */
  readonly expiry: number;
  readonly nonce: bigint;
}

export const NATIVE_TOKEN = ZeroAddress;
/** The ledger's interval and UTC day: a sale delivers in the intervals the operator anchors. */
export { INTERVAL_SECONDS };
export const DAY_SECONDS = SECONDS_PER_DAY;
/** The contract's MAX_WINDOW_SECONDS and SETTLEMENT_GRACE (seconds). */
export const MAX_WINDOW_SECONDS = 7 * DAY_SECONDS;
export const SETTLEMENT_GRACE_SECONDS = 3 * DAY_SECONDS;
/**
 * How far ahead a delivery window may start (from now, chain time): a buyer's escrow is then
 * locked at most this + MAX_WINDOW_SECONDS + SETTLEMENT_GRACE_SECONDS. The app refuses to fill
 * beyond it even where a contract would accept (EnergyMarket's MAX_LEAD_SECONDS).
 */
export const MAX_LEAD_SECONDS = 30 * DAY_SECONDS;
/** EnergyMarket's MAX_BUYERS: a minimum fill must keep ceil(energyWh / minFillWh) within it. */
export const MAX_BUYERS = 32;

/** The smallest minimum fill the contract accepts for `energyWh`: ceil(energyWh / MAX_BUYERS). */
export function smallestMinFill(energyWh: number): number {
  return Math.max(1, Math.ceil(energyWh / MAX_BUYERS));
}

export const OFFER_TYPES = {
  Offer: [
    { name: 'seller', type: 'address' },
    { name: 'meterId', type: 'bytes32' },
    { name: 'energyWh', type: 'uint64' },
    { name: 'minFillWh', type: 'uint64' },
    { name: 'pricePerKWh', type: 'uint256' },
    { name: 'token', type: 'address' },
    { name: 'deliveryStart', type: 'uint64' },
    { name: 'deliveryEnd', type: 'uint64' },
    { name: 'expiry', type: 'uint64' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const;

export interface MarketDomain {
  readonly name: string;
  readonly version: string;
  readonly chainId: bigint;
  readonly verifyingContract: string;
}

/** EnergyMarket's EIP-712 domain: bound to one chain and one contract, so signatures cannot be replayed. */
export function marketDomain(chainId: bigint, verifyingContract: string): MarketDomain {
  return { name: 'Wattlet EnergyLedger', version: '1', chainId, verifyingContract };
}

export type TypedDataTypes = Record<string, Array<{ name: string; type: string }>>;

export function offerTypes(): TypedDataTypes {
  return { Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) };
}

/** The value as ethers' signTypedData expects it. */
export function offerValue(offer: Offer): Record<string, string | bigint | number> {
  return { ...offer };
}

/** The offer id: its EIP-712 digest, the same bytes32 the contract computes in hashOffer. */
export function hashOffer(domain: MarketDomain, offer: Offer): string {
  return TypedDataEncoder.hash(domain, offerTypes(), offerValue(offer));
}

/** The tuple EnergyMarket's `Offer calldata` parameter takes. */
export function offerTuple(offer: Offer): [string, string, bigint, bigint, bigint, string, bigint, bigint, bigint, bigint] {
  return [
    offer.seller,
    offer.meterId,
    BigInt(offer.energyWh),
    BigInt(offer.minFillWh),
    offer.pricePerKWh,
    offer.token,
    BigInt(offer.deliveryStart),
    BigInt(offer.deliveryEnd),
    BigInt(offer.expiry),
    offer.nonce,
  ];
}
