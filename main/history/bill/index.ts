// Bills: pure arithmetic from quarter-hour intervals and a tariff, and the comparison with the
// utility's own bill. Isomorphic — no Node APIs — so the renderer may re-run it.
export * from './bill.js';
export * from './compare.js';
export * from './rounding.js';
