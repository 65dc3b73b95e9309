export * from './sml-tlv.js';
export * from './sml-transport.js';
export * from './sml-reading.js';
export * from './sml-decoder.js';
