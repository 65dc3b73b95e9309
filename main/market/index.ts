/**
 * The market room (issue 8): peer sales of solar surplus on EnergyLedger's EnergyMarket
 * (resources/contracts/EnergyMarket.sol).
 *
 * Wiring: the room's one factory, plugged by the composition root (main/compose.ts):
 *
 *   const market = createMarket({
 *     chain,                          // the ledger room's ChainConnection: endpoint, provider, minDepth
 *     wallet: wallet.service,         // signs offers and transactions after a person approves (walletMarketSigner)
 *     meterId: ledger.meterId,        // the household's bytes32 meter id
 *     handovers: ledger.handovers,    // the operator's intervals + salts, as the ledger verifies them
 *     exportHistory: historyExportSource(history.service), // measured export over the history's roll-ups
 *     bus,                            // 'market.changed'
 *   });  // → { service, handlers, dispose }
 *
 * The MarketService is bound to one chain and contract: the room holds it in a MutableDisposable
 * and rebuilds it when the endpoint changes; until one is configured every channel answers
 * MARKET_NOT_CONFIGURED. A sale settles on the ledger's own interval leaf and day tree
 * (main/ledger/tree), so a settlement and a household's verification hash the same leaf, and
 * every anchor it relies on is proven (`ledgerAnchorCheck`: storage proof, header, depth).
 *
 * The chain's JSON-RPC provider has `cacheTimeout: -1` (ChainConnection): ethers otherwise answers
 * repeated identical calls (balances, nonces, simulations) from a 250 ms cache, stale right after
 * a transaction.
 */
export { createMarket, type Market, type MarketPorts } from './create-market.js';
export { walletMarketSigner } from './wallet-signer.js';
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
