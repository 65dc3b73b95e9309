/**
 * The market room (issue 8): peer sales of solar surplus on EnergyLedger's EnergyMarket
 * (resources/contracts/EnergyMarket.sol).
 *
 * Wiring (composition root):
 *
 *   const market = new MarketService({
 *     chain: new MarketChain({ provider, address: ledgerAddress, fromBlock: deployBlock }),
 *     signer: new ApprovingSigner(wallet, account, provider),   // main/wallet: signs after approval
 *     meterId,                                                  // the household's bytes32 meter id, or null
 *     intervals: dayIntervalsFromHandovers(handoverSource),     // operator's intervals + salts
 *     exportHistory,                                            // { exportWh(from, to) } over the history store
 *     events: bus,                                              // 'market.changed'
 *     anchorCheck: ledgerAnchorCheck({ rpc, contract: ledgerAddress, minDepth }), // anchors proven, not read
 *   });
 *   handlers = { ...handlers, ...createMarketHandlers(market) };
 *
 * Give the JSON-RPC provider `cacheTimeout: -1`: ethers otherwise answers repeated identical calls
 * (balances, nonces, simulations) from a 250 ms cache, stale right after a transaction.
 */
export { MarketService, offerJson, type MarketServiceDeps, type CreateOfferInput } from './market-service.js';
export { MarketChain, type MarketChainOptions, type OfferRecord, type PublishedOffer, type FillInfo } from './market-chain.js';
export { createMarketHandlers, type MarketHandlers } from './handlers.js';
export type { MarketSigner, TypedDataDomainLike } from './market-signer.js';
export { historyExportSource, type ExportHistory } from './export-history.js';
export { ENERGY_MARKET_ABI } from './market-abi.js';
export { toMarketError } from './chain-errors.js';
export { dayIntervalsFromHandovers } from './handover-intervals.js';
export { ledgerAnchorCheck, type AnchorCheck } from './anchor-check.js';
export {
  hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, INTERVAL_SECONDS, DAY_SECONDS,
  MAX_WINDOW_SECONDS, SETTLEMENT_GRACE_SECONDS, type Offer, type MarketDomain,
} from './offer.js';
export { costOf, deliveredWh, sellerShare, buyerRefund, suggestPrice, type PriceSuggestion } from './pricing.js';
export { buildSettlementProofs, dayProofTuples, windowDays, type DayProof, type DayIntervals, type AnchoredRoot } from './settlement-proof.js';
export { estimateSurplus, overlapWh, checkWindow, type SurplusEstimate } from './surplus.js';
export { offerStateOf, chainProofStatus, refundOf, canCancel, canSettle } from './offer-states.js';
