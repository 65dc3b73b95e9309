export * from './interval-leaf.js';
export * from './merkle-proof.js';
export * from './day-tree.js';
export * from './handover.js';
export * from './region-leaf.js';
export * from './region-path.js';
export * from './region-tree.js';
export * from './meter-day-hasher.js';
