export * from './dsmr-telegram.js';
export * from './dsmr-values.js';
export * from './dsmr-shape.js';
export * from './dsmr-decoder.js';
export * from './smarty-frame.js';
export * from './smarty-decoder.js';
export * from './dsmr-text.js';
