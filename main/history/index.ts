// The history room: SQLite store of readings and roll-ups, screen-sized queries, tariffs,
// bills ("cost so far", the month-end forecast, the tier reached), the Overview's dashboard and
// CSV (export to text or a chosen file, preview, chunked import with progress and cancel). Other
// rooms use the service and handlers; the pure parts (calendar, bills, tariff schema) are
// isomorphic and may be imported by the renderer.
//
// Wiring: `createHistory({ dataDir, root, bus, logger, now, chooseSavePath? })` → { service, handlers, household,
// record, dispose }. The composition root plugs the meter's readings in with
// `history.record(meter.readings)`; the wallet reads `history.household()` (zone, currency); the
// ledger and market read the roll-ups through their own sources (historyReadingSource,
// historyExportSource) over `history.service`.
export * from './attribution.js';
export * from './calendar.js';
export * from './levels.js';
export * from './sample.js';
export * from './store.js';
export * from './series.js';
export * from './totals.js';
export * from './meter-events.js';
export * from './register-chain.js';
export * from './dashboard.js';
export * from './recompute.js';
export * from './service.js';
export * from './handlers.js';
export * from './household.js';
export * from './create-history.js';
export * from './tariffs/index.js';
export * from './bill/index.js';
export * from './csv/index.js';
