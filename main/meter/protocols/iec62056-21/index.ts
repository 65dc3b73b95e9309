export * from './iec-messages.js';
export * from './iec-data-block.js';
export * from './iec-decoder.js';
