/** Simulated meters, one per protocol, driven by a deterministic household day. */
export * from './sim-clock.js';
export * from './seeded-random.js';
export * from './household-day.js';
export * from './dsmr-telegram-builder.js';
export * from './simulated-dsmr-meter.js';
export * from './simulated-iec62056-meter.js';
export * from './simulated-dlt645-meter.js';
export * from './sml-file-builder.js';
export * from './simulated-sml-meter.js';
export * from './simulated-modbus-meter.js';
