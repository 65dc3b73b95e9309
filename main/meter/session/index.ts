/** The meter session: one meter kept connected, counted, reconnected; readings out. */
export * from './clock.js';
export * from './event-waiter.js';
export * from './link-counters.js';
export * from './meter-reader.js';
export * from './meter-target.js';
export * from './push-reader.js';
export * from './iec62056-poller.js';
export * from './dlt645-poller.js';
export * from './modbus-poller.js';
export * from './meter-session.js';
export * from './handlers.js';
