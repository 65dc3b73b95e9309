import type { Quantity } from '../../reading.js';

/**
 * Input registers of Eastron SDM120 / SDM630 meters (Eastron "SDM630 Modbus protocol" v1.5,
 * SDM120 v2.x): each quantity is an IEEE-754 float32 in two registers, big-endian (high word
 * first). The address is the register offset (30001 → 0x0000).
 */
export interface SdmRegister {
  readonly address: number;
  readonly obis: string;
  readonly unit: Quantity['unit'];
  /** Power of ten from the meter's unit to ours (kWh → Wh: 3, V → mV: 3, W → W: 0). */
  readonly exp: number;
  readonly models: readonly ('sdm120' | 'sdm630')[];
}

const both = ['sdm120', 'sdm630'] as const;
const three = ['sdm630'] as const;

export const SDM_REGISTERS: readonly SdmRegister[] = [
  { address: 0x0000, obis: '32.7.0', unit: 'mV', exp: 3, models: both },
  { address: 0x0002, obis: '52.7.0', unit: 'mV', exp: 3, models: three },
  { address: 0x0004, obis: '72.7.0', unit: 'mV', exp: 3, models: three },
  { address: 0x0006, obis: '31.7.0', unit: 'mA', exp: 3, models: both },
  { address: 0x0008, obis: '51.7.0', unit: 'mA', exp: 3, models: three },
  { address: 0x000a, obis: '71.7.0', unit: 'mA', exp: 3, models: three },
  { address: 0x000c, obis: '16.7.0', unit: 'W', exp: 0, models: both }, // SDM120: total active power; SDM630: phase 1
  { address: 0x0034, obis: '16.7.0', unit: 'W', exp: 0, models: three }, // SDM630 total system power
  { address: 0x0046, obis: '14.7.0', unit: 'mHz', exp: 3, models: both },
  { address: 0x0048, obis: '1.8.0', unit: 'Wh', exp: 3, models: both },
  { address: 0x004a, obis: '2.8.0', unit: 'Wh', exp: 3, models: both },
];

export const SDM_BY_ADDRESS: ReadonlyMap<number, SdmRegister> = new Map(SDM_REGISTERS.map((r) => [r.address, r]));

/**
 * The model quantities in a block of registers starting at `start`. Floats are converted once,
 * rounded to the integer unit: the meter's own resolution (0.01 kWh, 0.1 V) is coarser.
 */
export function sdmQuantities(start: number, data: Uint8Array, out: Quantity[]): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const endReg = start + data.length / 2;
  // On an SDM630, 0x000C is phase 1 power; when the block also holds 0x0034 (total system
  // power) that one is the total.
  const hasSystemPower = start <= 0x0034 && endReg >= 0x0036;
  for (let off = 0; off + 4 <= data.length; off += 4) {
    const address = start + off / 2;
    const reg = SDM_BY_ADDRESS.get(address);
    if (!reg || (address === 0x000c && hasSystemPower)) continue;
    const f = view.getFloat32(off, false);
    if (!Number.isFinite(f)) continue;
    const v = Math.round(f * 10 ** reg.exp);
    if (!Number.isSafeInteger(v)) continue;
    if (reg.obis === '16.7.0') {
      out.push({ obis: '1.7.0', value: v > 0 ? v : 0, unit: 'W' }, { obis: '2.7.0', value: v < 0 ? -v : 0, unit: 'W' });
    } else out.push({ obis: reg.obis, value: v, unit: reg.unit });
  }
}

/** Encode float32 big-endian register pairs (simulated meters). */
export function float32Registers(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, k) => view.setFloat32(k * 4, v, false));
  return out;
}
