// Bills: pure arithmetic from quarter-hour intervals and a tariff, and the comparison with the
// utility's own bill; "cost so far" (the one definition the Overview, History and Bills share),
// the month-end forecast from an average day, and where a household stands on a tiered tariff.
// Isomorphic — no Node APIs — so the renderer may re-run it.
export * from './bill.js';
export * from './bill-so-far.js';
export * from './compare.js';
export * from './forecast.js';
export * from './rounding.js';
export * from './tier-progress.js';
