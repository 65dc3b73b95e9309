/** The meter's swaps, jumps and skipped glitches over a range, in words (issue 17): shown on the History page. */
export { MeterEventsStore } from './meter-events-store.svelte.js';
export { default as MeterEventsList } from './MeterEventsList.svelte';
