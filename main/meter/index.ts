export * from './reading.js';
export * from './serial/line-settings.js';
export * from './serial/serial-port.js';
export * from './sim/wire.js';
