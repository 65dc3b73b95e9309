export * from './dlt645-frame.js';
export * from './dlt645-data.js';
export * from './dlt645-decoder.js';
