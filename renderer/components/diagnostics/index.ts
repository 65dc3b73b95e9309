// Diagnostics components (issue 9): used by renderer/pages/Diagnostics.svelte.
export { DiagnosticsStore, FRAMES_SHOWN } from './diagnostics-store.svelte.js';
export { default as FindingsList } from './FindingsList.svelte';
export { default as UsbDevicesTable } from './UsbDevicesTable.svelte';
export { default as LinkPanel } from './LinkPanel.svelte';
export { default as MeterDataPanel } from './MeterDataPanel.svelte';
export { default as FrameLogView } from './FrameLogView.svelte';
export { default as ProbePanel } from './ProbePanel.svelte';
export { default as BundlePanel } from './BundlePanel.svelte';
