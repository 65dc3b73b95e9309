// Ledger components (issue 7): used by renderer/pages/Ledger.svelte.
export { LedgerStore } from './ledger-store.svelte.js';
export { LedgerExport } from './ledger-export.svelte.js';
export { default as StatusPanel } from './StatusPanel.svelte';
export { default as DayList } from './DayList.svelte';
export { default as VerifyReport } from './VerifyReport.svelte';
export { default as RangeVerify } from './RangeVerify.svelte';
