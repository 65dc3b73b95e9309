/**
 * The EnergyLedger's sell offer as EIP-712 names it: EnergyMarket.sol's OFFER_TYPEHASH is
 * keccak256 of exactly this string. The wallet recognises an offer by this hash, not by the
 * request's type or field names, so a look-alike struct with one field more or renamed is shown
 * as plain typed data, never dressed up as an offer. (test/integration/wallet/offer-typehash.test.ts
 * checks the constant against the deployed contract.)
 */
export const ENERGY_OFFER_TYPE =
  'Offer(address seller,bytes32 meterId,uint64 energyWh,uint256 pricePerKWh,address token,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint256 nonce)';

/** keccak256(ENERGY_OFFER_TYPE), pinned (a unit test recomputes it). */
export const ENERGY_OFFER_TYPEHASH = '0x8db7117ce69db8499c34ff5ecd6744af42f55d1836bebceaa576d7b0d21e1a81';
