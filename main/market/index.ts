// The market room (issue 8): peer sales of solar surplus on EnergyLedger's EnergyMarket.
export { MarketService, offerJson, type MarketServiceDeps, type CreateOfferInput } from './market-service.js';
export { MarketChain, type MarketChainOptions, type OfferRecord, type PublishedOffer, type FillInfo } from './market-chain.js';
export { createMarketHandlers, type MarketHandlers } from './handlers.js';
export type { MarketSigner, TypedDataDomainLike } from './market-signer.js';
export type { ExportHistory } from './export-history.js';
export { ENERGY_MARKET_ABI } from './market-abi.js';
export { toMarketError } from './chain-errors.js';
export {
  hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, INTERVAL_SECONDS, DAY_SECONDS,
  MAX_WINDOW_SECONDS, SETTLEMENT_GRACE_SECONDS, type Offer, type MarketDomain,
} from './offer.js';
export { costOf, deliveredWh, sellerShare, buyerRefund, suggestPrice, type PriceSuggestion } from './pricing.js';
export { LEAF_ENCODING, leafValues, dayOf, type IntervalLeaf } from './interval-leaf.js';
export { buildSettlementProofs, dayProofTuples, windowDays, type DayProof, type DayIntervals, type AnchoredRoot } from './settlement-proof.js';
export { estimateSurplus, overlapWh, checkWindow, type SurplusEstimate } from './surplus.js';
export { offerStateOf, chainProofStatus, refundOf, canCancel, canSettle } from './offer-states.js';
