/**
 * The EnergyLedger's sell offer as EIP-712 names it: EnergyMarket.sol's OFFER_TYPEHASH is
 * keccak256 of exactly this string. The wallet recognises an offer by this hash, not by the
 * request's type or field names, so a look-alike struct with one field more or renamed is shown
 * as plain typed data, never dressed up as an offer. (test/integration/wallet/offer-typehash.test.ts
 * checks the constant against the deployed contract.)
 */
export const ENERGY_OFFER_TYPE =
  'Offer(address seller,bytes32 meterId,uint64 energyWh,uint64 minFillWh,uint256 pricePerKWh,address token,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint256 nonce)';

/** keccak256(ENERGY_OFFER_TYPE), pinned (a unit test recomputes it). */
export const ENERGY_OFFER_TYPEHASH = '0x5948be799184fb1eec3707ecaceaaca3f5d2e5b61ed09b0022af5e06c33f5ccd';
