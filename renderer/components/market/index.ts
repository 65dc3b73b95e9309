// Market components (issue 8): used by renderer/pages/Sell.svelte and Buy.svelte.
export { MarketStore } from './market-store.svelte.js';
export { formatCoin, parseCoin, costOf, COIN_DECIMALS } from './coin.js';
export { formatWindow, fromLocalInput, toLocalInput, defaultStartInput } from './time-window.js';
export { default as OfferForm } from './OfferForm.svelte';
export { default as MyOffersTable } from './MyOffersTable.svelte';
export { default as OfferBookTable } from './OfferBookTable.svelte';
export { default as MyPurchasesTable } from './MyPurchasesTable.svelte';
export { default as StatusBadges } from './StatusBadges.svelte';
export { default as SurplusSummary } from './SurplusSummary.svelte';
