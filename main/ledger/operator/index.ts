export * from './reading-source.js';
export * from './official-day.js';
export * from './demo-operator.js';
export * from './handover-files.js';
export * from './history-source.js';
export * from './handover-source.js';
export * from './region-anchor.js';
