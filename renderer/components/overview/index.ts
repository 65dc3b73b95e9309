// Overview components (issue 17): today's curve, the last 30 days as bars, the tier reached on a
// ladder tariff. Their figures come from history.dashboard through OverviewState.
export type { Dashboard } from './dashboard-types.js';
export type { ChartSeries } from './chart-series.js';
export { default as BucketChart } from './BucketChart.svelte';
export { default as TodayCurve } from './TodayCurve.svelte';
export { default as DaysBars } from './DaysBars.svelte';
export { default as TierProgress } from './TierProgress.svelte';
