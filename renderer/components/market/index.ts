// Market components (issues 8 and 18): used by renderer/pages/Sell.svelte and Buy.svelte; the
// sentence and money helpers also by the approval page (renderer/approval).
export { MarketStore, type MarketSide, type PricedToken } from './market-store.svelte.js';
export { formatCoin, parseCoin, costOf, COIN_DECIMALS } from './coin.js';
export { formatTokenAmount, formatTokenPrice, formatTariffRate, parseTokenAmount } from './money.js';
export { sellSentence, buySentence, windowPhrase, expiryPhrase, kwhText } from './offer-sentence.js';
export { skipTargets } from './skip-targets.js';
export { formatWindow, fromLocalInput, toLocalInput, defaultStartInput } from './time-window.js';
export { default as AccountPicker } from './AccountPicker.svelte';
export { default as WalletGate } from './WalletGate.svelte';
export { default as OfferForm } from './OfferForm.svelte';
export { default as MyOffersTable } from './MyOffersTable.svelte';
export { default as OfferBookTable } from './OfferBookTable.svelte';
export { default as MyPurchasesTable } from './MyPurchasesTable.svelte';
export { default as SaleTimeline } from './SaleTimeline.svelte';
export { default as StatusBadges } from './StatusBadges.svelte';
export { default as SurplusSummary } from './SurplusSummary.svelte';
