export * from './errors.js';
export * from './channel.js';
export * from './contract.js';
export * from './dispatcher.js';
export * from './event-bus.js';
export * from './client.js';
export * from './app.js';
