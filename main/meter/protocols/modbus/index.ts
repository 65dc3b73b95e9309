export * from './modbus-rtu.js';
export * from './sdm-registers.js';
export * from './modbus-decoder.js';
