// History components (issues 5, 17): used by renderer/pages/Overview, History and Bills.
export { ChartState, type Series, type PeriodTotal, type TotalsPeriod } from './chart-state.svelte.js';
export { BillsState } from './bills-state.svelte.js';
export { CsvTransfer, type MappingDraft } from './csv-transfer.svelte.js';
export { OverviewState } from './overview-state.svelte.js';
export { kwh, money, percent, unitPrice, watts, when } from './format.js';
export { default as EnergyChart } from './EnergyChart.svelte';
export { default as SeriesTable } from './SeriesTable.svelte';
export { default as TotalsTable } from './TotalsTable.svelte';
export { default as BillLines } from './BillLines.svelte';
export { default as ComparePanel } from './ComparePanel.svelte';
export { default as TariffEditor } from './TariffEditor.svelte';
export { default as StatCard } from './StatCard.svelte';
export { default as ExportPanel } from './ExportPanel.svelte';
export { default as ImportPanel } from './ImportPanel.svelte';
