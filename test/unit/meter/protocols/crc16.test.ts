import { describe, expect, it } from 'vitest';
import { crc16Arc, crc16ArcSkipZeros, crc16ArcXor, crc16Modbus, crc16X25 } from '../../../../main/meter/protocols/crc16.js';

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

describe('CRC-16 over long and unaligned ranges', () => {
  /** The textbook bit-at-a-time CRC, as the reference the table-driven loop must equal. */
  function bitwise(poly: number, init: number, xorout: number, bytes: Uint8Array): number {
    let crc = init;
    for (const b of bytes) {
      crc ^= b;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
    }
    return crc ^ xorout;
  }

  it('equals the bitwise CRC at every alignment and length, in a view with its own byte offset', () => {
    const backing = new Uint8Array(1200).map((_, i) => (i * 7919 + 13) >>> 2);
    const view = new Uint8Array(backing.buffer, 3, 1100);
    for (let start = 0; start < 9; start++) {
      for (const len of [0, 1, 7, 63, 64, 65, 71, 72, 73, 200, 881, 1000]) {
        const part = view.subarray(start, start + len);
        expect(crc16Arc(view, start, start + len)).toBe(bitwise(0xa001, 0, 0, part));
        expect(crc16Modbus(view, start, start + len)).toBe(bitwise(0xa001, 0xffff, 0, part));
        expect(crc16X25(view, start, start + len)).toBe(bitwise(0x8408, 0xffff, 0xffff, part));
      }
    }
  });
});

describe('CRC-16/ARC of a message known to differ from another only in spans', () => {
  it('equals the CRC of the message itself (linearity: crc(a ^ b) = crc(a) ^ crc(b))', () => {
    const base = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff);
    // Spans that change, with zero runs of every length 0..20 between them.
    for (let gap = 0; gap <= 20; gap++) {
      const changed = base.slice();
      const spans: [number, number][] = [];
      for (let p = 3; p + 5 < changed.length; p += gap + 5) {
        spans.push([p, p + 5]);
        for (let i = p; i < p + 5; i++) changed[i] = (changed[i]! * 7 + gap + i) & 0xff;
      }
      let crc = 0;
      let pos = 0;
      for (const [from, to] of spans) {
        crc = crc16ArcSkipZeros(crc, from - pos);
        crc = crc16ArcXor(crc, changed, from, base, from, to - from);
        pos = to;
      }
      crc = crc16ArcSkipZeros(crc, base.length - pos);
      expect(crc ^ crc16Arc(base)).toBe(crc16Arc(changed));
    }
  });
});
