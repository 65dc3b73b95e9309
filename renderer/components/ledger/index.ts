// Ledger components (issues 7, 19): used by renderer/pages/Ledger.svelte. The window re-verifies
// every day itself from main's evidence (window-verifier.ts) and leads with one plain sentence
// (plain-verdict.ts); LedgerExport saves dispute packs and one-interval proofs.
export { LedgerStore } from './ledger-store.svelte.js';
export { LedgerExport } from './ledger-export.svelte.js';
export { default as StatusPanel } from './StatusPanel.svelte';
export { default as DayList } from './DayList.svelte';
export { default as VerifyReport } from './VerifyReport.svelte';
export { default as RangeVerify } from './RangeVerify.svelte';
