/**
 * Meter protocol decoders: pure TypeScript, bytes in, readings out (no Node APIs, so the
 * renderer and tests run them too). The six streaming decoders share one skeleton
 * (decoder-base.ts: the byte window, emitting and counting, the garbage stretch); each adds its
 * scan. A decoder counts into the counters it is given, so the session's link is counted once.
 * Every decoder names quantities in one normal form (normal-form.ts, README.md) and applies the
 * meter quirks of meter/quirks, naming them on the reading.
 */
export * from './crc16.js';
export * from './decoder.js';
export * from './decoder-base.js';
export * from './obis-name.js';
export * from './normal-form.js';
export * from './meter-time.js';
export * from './fixed-point.js';
export * from './create-decoder.js';
export * as dsmr from './dsmr/index.js';
export * as iec62056 from './iec62056-21/index.js';
export * as dlt645 from './dlt645/index.js';
export * as sml from './sml/index.js';
export * as modbus from './modbus/index.js';
