/**
 * The meter session: one meter kept connected, counted, reconnected. It decodes each byte once
 * and publishes what it decoded, as data: readings (`onReading`), frames with their bytes and
 * decoded result or error (`onFrame`), link events with line settings as fields (`onLink`), its
 * state (`onState`), and the link's one count (`counters`). Diagnostics and the UI listen; none
 * of them decodes or counts the link again.
 */
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
export * from './published-port.js';
export * from './session-events.js';
export * from './stream-history.js';
export * from './handlers.js';
