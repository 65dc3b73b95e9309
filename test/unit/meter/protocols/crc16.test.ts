import { describe, expect, it } from 'vitest';
import { crc16Arc, crc16Modbus, crc16X25 } from '../../../../main/meter/protocols/crc16.js';

// Check values from the CRC catalogue (reveng.sourceforge.io/crc-catalogue), input "123456789".
const check = new TextEncoder().encode('123456789');

describe('CRC-16 variants', () => {
  it('CRC-16/ARC (DSMR) gives the catalogue check value 0xBB3D', () => {
    expect(crc16Arc(check)).toBe(0xbb3d);
  });
  it('CRC-16/MODBUS gives the catalogue check value 0x4B37', () => {
    expect(crc16Modbus(check)).toBe(0x4b37);
  });
  it('CRC-16/X-25 (SML) gives the catalogue check value 0x906E', () => {
    expect(crc16X25(check)).toBe(0x906e);
  });
  it('computes over a sub-range without copying', () => {
    const padded = new Uint8Array([0xff, ...check, 0xee]);
    expect(crc16Arc(padded, 1, 10)).toBe(0xbb3d);
  });
});
