/**
 * The market room (issue 8): peer sales of solar surplus on EnergyLedger's EnergyMarket
 * (resources/contracts/EnergyMarket.sol).
 *
 * Wiring: the room's one factory, plugged by the composition root (main/compose.ts):
 *
 *   const market = createMarket({
 *     chain,                          // the ledger room's ChainConnection: endpoint, provider, minDepth
 *     wallet: wallet.service,         // its accounts (the account picker) sign after a person approves
 *     meterId: ledger.meterId,        // the household's bytes32 meter id
 *     handovers: ledger.handovers,    // the operator's intervals + salts, as the ledger verifies them
 *     exportHistory: historyExportSource(history.service), // measured export over the history's roll-ups
 *     tariff: historyTariffSource(history.service),        // the household's import and feed-in rates
 *     knownTokens: demo.tokens,       // the demo's euro and yuan (any ERC-20 may be picked besides)
 *     notifier,                       // sales' news: filled, settlement due, settled, escrow reclaimable
 *     bus,                            // 'market.changed' out; 'market.changed', 'demo.timeMoved' in
 *   });  // → { service, handlers, dispose }
 *
 * One approval per act (wallet-signer.ts): an offer is signed and published together
 * (WalletService.publishOffer), a purchase's token allowance and fill are approved together
 * (WalletService.sendCalls), each shown with the market's checks (offer-checks.ts: price against
 * the household's feed-in and import, the operator's anchoring pace, the anchored export of the
 * same hours on recent days). Prices are in the token the seller picks; a token whose symbol names
 * the household's currency is shown in it, next to the household's own rates for the window
 * (tariff-rates.ts; for a tiered tariff the tier it is in now). No account buys its own offer
 * (MARKET_SELF_TRADE; the contract refuses it too), and no window beyond MAX_LEAD_SECONDS is filled.
 * Each sale's life is a timeline (timeline.ts); the sale watch posts its news (sale-watch.ts).
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
export { walletMarketSigner, walletMarketAccounts } from './wallet-signer.js';
export { MarketService, offerJson, type MarketServiceDeps, type CreateOfferInput } from './market-service.js';
export { MarketChain, type MarketChainOptions, type OfferRecord, type PublishedOffer, type FillInfo, type OfferEvent } from './market-chain.js';
export { createMarketHandlers, type MarketHandlers } from './handlers.js';
export type { MarketSigner, MarketCall, TypedDataDomainLike } from './market-signer.js';
export { pickAccount, type MarketAccount, type MarketAccounts } from './market-accounts.js';
export { historyTariffSource, type HouseholdTariff } from './household-tariff.js';
export { windowRates, tariffToTokenUnits, type WindowRates } from './tariff-rates.js';
export { MarketTokens, currencyOfSymbol, type NativeCoin } from './market-token.js';
export { offerChecks, comparableExport, type OfferCheckInput, type ComparableExport } from './offer-checks.js';
export { sellerTimeline, buyerTimeline, type SaleFacts } from './timeline.js';
export { SaleWatch, type SaleSource, type SaleWatchOptions } from './sale-watch.js';
export { historyExportSource, type ExportHistory } from './export-history.js';
export { ENERGY_MARKET_ABI } from './market-abi.js';
export { toMarketError } from './chain-errors.js';
export { dayIntervalsFromHandovers } from './handover-intervals.js';
export { ledgerAnchorCheck, type AnchorCheck } from './anchor-check.js';
export {
  hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, INTERVAL_SECONDS, DAY_SECONDS,
  MAX_WINDOW_SECONDS, SETTLEMENT_GRACE_SECONDS, MAX_LEAD_SECONDS, MAX_BUYERS, smallestMinFill, type Offer, type MarketDomain,
} from './offer.js';
export { costOf, deliveredWh, sellerShare, buyerRefund, suggestPrice, type PriceSuggestion } from './pricing.js';
export { buildSettlementProofs, dayProofTuples, windowDays, type DayProof, type DayIntervals, type AnchoredRoot } from './settlement-proof.js';
export { estimateSurplus, overlapWh, checkWindow, type SurplusEstimate } from './surplus.js';
export { offerStateOf, chainProofStatus, refundOf, canCancel, canSettle } from './offer-states.js';
