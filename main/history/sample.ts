import { OBIS, quantity, type Reading } from '../meter/reading.js';

/**
 * What the history store keeps of one reading: the cumulative registers (Wh) and the net power
 * (W, import minus export) at one instant. Registers stay cumulative so any interval can be
 * recomputed from raw, and a missed reading loses resolution, never energy.
 */
export interface Sample {
  readonly ts: number;
  readonly importWh: number;
  /** null when the meter has no export register (no solar). */
  readonly exportWh: number | null;
  readonly powerW: number | null;
}

export interface MeterSample extends Sample {
  readonly meter: string;
}

/**
 * A normalized Reading as the store keeps it, or null when it carries no import register
 * (a gas-only or status frame has nothing to add to the electricity history).
 * The meter's own clock is preferred: dedup by (meter, timestamp) only works with the meter's
 * timestamps, and a reading re-sent after a reconnect keeps its meter time.
 */
export function sampleFromReading(reading: Reading): MeterSample | null {
  const imp = quantity(reading, OBIS.importTotal);
  if (!imp || imp.unit !== 'Wh') return null;
  const exp = quantity(reading, OBIS.exportTotal);
  const pIn = quantity(reading, OBIS.powerImport);
  const pOut = quantity(reading, OBIS.powerExport);
  const powerW = pIn || pOut ? (pIn?.value ?? 0) - (pOut?.value ?? 0) : null;
  return {
    meter: reading.meterId,
    ts: reading.meterTime ?? reading.receivedAt,
    importWh: imp.value,
    exportWh: exp && exp.unit === 'Wh' ? exp.value : null,
    powerW,
  };
}
