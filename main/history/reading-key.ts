/**
 * A raw reading's key in the readings table: meter id × 2^42 + timestamp (ms). 2^42 ms reaches
 * 2109; 2^53 / 2^42 leaves 2,047 meters (migrations.ts explains the layout).
 */
export const KEY_METER = 2 ** 42;
