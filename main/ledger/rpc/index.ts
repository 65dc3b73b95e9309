export * from './json-rpc.js';
export * from './day-evidence.js';
