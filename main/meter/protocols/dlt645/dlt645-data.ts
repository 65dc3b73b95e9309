import type { Quantity } from '../../reading.js';

/**
 * The data identifiers (DI3 DI2 DI1 DI0, DL/T 645-2007 Appendix A) Wattlet reads, their BCD
 * formats and where they land in the reading model. Values are little-endian BCD (lowest byte
 * first); the top bit of the highest byte is the sign for power and current.
 */
export interface DltItem {
  readonly obis: string;
  readonly bytes: number;
  /** Decimal places of the meter's unit (XXXXXX.XX kWh → 2). */
  readonly decimals: number;
  /** Power of ten from the meter's unit to ours (kWh → Wh: 3; V → mV: 3; kW → W: 3). */
  readonly exp: number;
  readonly unit: Quantity['unit'];
  readonly signed: boolean;
}

export interface DltDataId {
  readonly di: number;
  readonly name: string;
  readonly items: readonly DltItem[];
}

const energy = (obis: string): DltItem => ({ obis, bytes: 4, decimals: 2, exp: 3, unit: 'Wh', signed: false });
const volts = (obis: string): DltItem => ({ obis, bytes: 2, decimals: 1, exp: 3, unit: 'mV', signed: false });
const amps = (obis: string): DltItem => ({ obis, bytes: 3, decimals: 3, exp: 3, unit: 'mA', signed: true });
const kw = (obis: string): DltItem => ({ obis, bytes: 3, decimals: 4, exp: 3, unit: 'W', signed: true });

const table: DltDataId[] = [
  { di: 0x00010000, name: 'forward active energy, total', items: [energy('1.8.0')] },
  { di: 0x00020000, name: 'reverse active energy, total', items: [energy('2.8.0')] },
  { di: 0x0001ff00, name: 'forward active energy, total and tariffs 1-4', items: ['1.8.0', '1.8.1', '1.8.2', '1.8.3', '1.8.4'].map(energy) },
  { di: 0x0002ff00, name: 'reverse active energy, total and tariffs 1-4', items: ['2.8.0', '2.8.1', '2.8.2', '2.8.3', '2.8.4'].map(energy) },
  { di: 0x02010100, name: 'voltage, phase A', items: [volts('32.7.0')] },
  { di: 0x02010200, name: 'voltage, phase B', items: [volts('52.7.0')] },
  { di: 0x02010300, name: 'voltage, phase C', items: [volts('72.7.0')] },
  { di: 0x0201ff00, name: 'voltage, phases A-C', items: ['32.7.0', '52.7.0', '72.7.0'].map(volts) },
  { di: 0x02020100, name: 'current, phase A', items: [amps('31.7.0')] },
  { di: 0x02020200, name: 'current, phase B', items: [amps('51.7.0')] },
  { di: 0x02020300, name: 'current, phase C', items: [amps('71.7.0')] },
  { di: 0x0202ff00, name: 'current, phases A-C', items: ['31.7.0', '51.7.0', '71.7.0'].map(amps) },
  // Instantaneous active power is signed: positive = import. Mapped to 1.7.0/2.7.0 below.
  { di: 0x02030000, name: 'instantaneous active power, total', items: [kw('16.7.0')] },
  { di: 0x02030100, name: 'instantaneous active power, phase A', items: [kw('36.7.0')] },
];
for (let t = 1; t <= 4; t++) {
  table.push({ di: 0x00010000 | (t << 8), name: `forward active energy, tariff ${t}`, items: [energy(`1.8.${t}`)] });
  table.push({ di: 0x00020000 | (t << 8), name: `reverse active energy, tariff ${t}`, items: [energy(`2.8.${t}`)] });
}

export const DLT645_DATA_IDS: ReadonlyMap<number, DltDataId> = new Map(table.map((d) => [d.di, d]));

export const DI_DATE = 0x04000101; // YYMMDDWW (sent WW DD MM YY)
export const DI_TIME = 0x04000102; // hhmmss (sent ss mm hh)
export const DI_ADDRESS = 0x04000401;

export function dataLength(di: number): number {
  if (di === DI_DATE) return 4;
  if (di === DI_TIME) return 3;
  if (di === DI_ADDRESS) return 6;
  const d = DLT645_DATA_IDS.get(di);
  return d ? d.items.reduce((n, it) => n + it.bytes, 0) : -1;
}

const POW = [1, 10, 100, 1000, 10000, 100000];

/**
 * Decode the items of a known DI from unscrambled data at data[at..]. Pushes quantities; returns
 * false if a byte is not BCD (a corrupt frame that happened to pass the 8-bit checksum).
 */
export function decodeDltItems(id: DltDataId, data: Uint8Array, at: number, out: Quantity[]): boolean {
  let p = at;
  for (const it of id.items) {
    let v = 0;
    let neg = false;
    for (let k = it.bytes - 1; k >= 0; k--) {
      let b = data[p + k]!;
      if (it.signed && k === it.bytes - 1 && b & 0x80) {
        neg = true;
        b &= 0x7f;
      }
      const hi = b >> 4;
      const lo = b & 15;
      if (hi > 9 || lo > 9) return false;
      v = v * 100 + hi * 10 + lo;
    }
    p += it.bytes;
    const shift = it.exp - it.decimals;
    let value = shift >= 0 ? v * POW[shift]! : Math.round(v / POW[-shift]!);
    if (neg) value = -value;
    if (it.obis === '16.7.0') {
      // Signed total power → the model's two non-negative directions (normal-form.ts).
      out.push({ obis: '1.7.0', value: value > 0 ? value : 0, unit: 'W' });
      out.push({ obis: '2.7.0', value: value < 0 ? -value : 0, unit: 'W' });
    } else if (it.obis === '36.7.0') {
      out.push({ obis: '21.7.0', value: value > 0 ? value : 0, unit: 'W' });
      out.push({ obis: '22.7.0', value: value < 0 ? -value : 0, unit: 'W' });
    } else if (it.unit === 'mA') {
      // The normal form's currents are magnitudes; the direction is in the power (README.md).
      out.push({ obis: it.obis, value: value < 0 ? -value : value, unit: it.unit });
    } else out.push({ obis: it.obis, value, unit: it.unit });
  }
  return true;
}

/** Encode a value as little-endian BCD of `bytes` bytes (simulated meters). */
export function encodeBcd(value: number, bytes: number, signed = false): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = Math.abs(Math.trunc(value));
  for (let k = 0; k < bytes; k++) {
    const two = v % 100;
    v = Math.floor(v / 100);
    out[k] = ((Math.floor(two / 10) << 4) | two % 10) & 0xff;
  }
  if (signed && value < 0) out[bytes - 1]! |= 0x80;
  return out;
}

export function bcdByte(b: number): number {
  const hi = b >> 4;
  const lo = b & 15;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}
