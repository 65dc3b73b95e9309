import type { LineSettings } from '../serial/line-settings.js';

/**
 * The serial wire between a simulated adapter and a simulated meter. Both ends state the line
 * settings they use: when they differ (wrong speed or format), the receiving side gets garbled
 * bytes and framing errors, as on a real wire.
 */
export interface WireHostSide {
  /** The meter sent these bytes with these settings. */
  fromMeter(bytes: Uint8Array, sentWith: LineSettings): void;
}

export interface SimulatedMeterLine {
  /** Connect the meter to an adapter; the meter starts talking (push protocols) or listening. */
  attach(host: WireHostSide): void;
  /** The adapter's host wrote these bytes with these settings. */
  toMeter(bytes: Uint8Array, sentWith: LineSettings): void;
  /** The adapter was unplugged or closed. */
  detach(): void;
}
