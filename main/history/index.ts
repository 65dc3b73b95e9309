// The history room: SQLite store of readings and roll-ups, screen-sized queries, tariffs,
// bills and CSV. Other rooms use the service and handlers; the pure parts (calendar, bills,
// tariff schema) are isomorphic and may be imported by the renderer.
export * from './attribution.js';
export * from './calendar.js';
export * from './levels.js';
export * from './sample.js';
export * from './store.js';
export * from './series.js';
export * from './totals.js';
export * from './recompute.js';
export * from './service.js';
export * from './handlers.js';
export * from './tariffs/index.js';
export * from './bill/index.js';
export * from './csv/index.js';
