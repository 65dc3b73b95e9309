/**
 * The one normalized reading model every protocol decoder produces. Quantities are named by
 * OBIS code in one normal form across protocols (protocols/README.md): "A-B:C.D.E*F" with the
 * default "1-0:" left out and F only where it is not the current value ("1.8.0" is the current
 * import register, "1.8.0*96" a billing-period value of it, "0-0:96.14.0" the tariff). Values
 * are integers in a stated unit, so nothing downstream ever stores a float; active power is
 * never signed (import and export are two quantities).
 */
export type QuantityUnit =
  | 'Wh' // energy
  | 'varh'
  | 'W' // power
  | 'var'
  | 'VA'
  | 'mV' // voltage
  | 'mA' // current
  | 'mHz'
  | 'dm3' // gas, water (litres)
  | 'kJ' // heat (DSMR heat is GJ, kept as kJ integers)
  | 'count' // power failures, sags, tariff indicator
  | 's' // durations
  | 'ms'; // timestamps carried as quantities (M-Bus capture time)

export interface Quantity {
  /** OBIS code, e.g. '1.8.0' (import total), '1-1:32.7.0' where the channel matters. */
  readonly obis: string;
  /** Integer in `unit`. Number.isSafeInteger holds for every quantity. */
  readonly value: number;
  readonly unit: QuantityUnit;
  /** The meter's own capture time for this value (M-Bus channels), ms since epoch UTC. */
  readonly capturedAt?: number;
}

export type MeterProtocol = 'dsmr' | 'iec62056-21' | 'dlt645' | 'sml' | 'modbus';

export interface Reading {
  /** The meter's identity as the meter states it (equipment id, server id, DL/T 645 address). */
  readonly meterId: string;
  readonly protocol: MeterProtocol;
  /** The meter's own clock, ms since epoch UTC; null where the frame carries none. */
  readonly meterTime: number | null;
  /** When the host received the last byte of the frame, ms since epoch UTC. */
  readonly receivedAt: number;
  readonly quantities: readonly Quantity[];
  /**
   * Lines or objects kept verbatim rather than dropped: ones the model has no quantity for
   * (version, event logs) and ones the decoder could not read (counted in `unread`).
   */
  readonly raw: readonly string[];
  /** Free text the meter carries (DSMR text messages). */
  readonly text?: string;
  /** Lines or data sets of the frame the decoder could not read (each kept in `raw`); absent = 0. */
  readonly unread?: number;
  /** Ids of the known meter quirks applied to this reading (meter/quirks); never applied silently. */
  readonly quirks?: readonly string[];
}

/** The OBIS codes the history store and the UI rely on. */
export const OBIS = {
  importTotal: '1.8.0',
  importTariff1: '1.8.1',
  importTariff2: '1.8.2',
  exportTotal: '2.8.0',
  exportTariff1: '2.8.1',
  exportTariff2: '2.8.2',
  powerImport: '1.7.0',
  powerExport: '2.7.0',
  tariffIndicator: '0-0:96.14.0',
} as const;

/** The quantity of that exact name: '1.8.0' is the current register, never a history value '1.8.0*96'. */
export function quantity(reading: Reading, obis: string): Quantity | undefined {
  return reading.quantities.find((q) => q.obis === obis);
}
