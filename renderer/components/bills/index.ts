// Bills components (issue 17): the tariff as a form in the household's currency (windows on a
// 24-hour strip, tiers, feed-in, standing charges, taxes), over a pure draft that converts prices
// exactly to and from the tariff document. Used by history/TariffEditor on the Bills page.
export * from './tariff-draft.js';
export { default as TariffForm } from './TariffForm.svelte';
export { default as DayStrip } from './DayStrip.svelte';
