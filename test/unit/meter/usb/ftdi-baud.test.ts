import { describe, expect, it } from 'vitest';
import { ftdiBaudDivisor, ftdiChipFromBcd, ftdiDivisorToBaud } from '../../../../main/meter/usb/ftdi-baud.js';

// Expected (wValue, wIndex) pairs: FTDI AN232B-05 §4 examples and USB-ADAPTERS.md worked examples
// (300 → 0x2710, 9600 → 0x4138, 115200 → 0x001A also traced from Linux ftdi_sio against QEMU).
describe('FTDI baud divisor (FT232R / BM, 3 MHz base)', () => {
  const cases: Array<[number, number, number, number]> = [
    // baud, wValue, wIndex, actual
    [300, 0x2710, 0, 300],
    [1200, 0x09c4, 0, 1200],
    [2400, 0x04e2, 0, 2400],
    [4800, 0x0271, 0, 4800],
    [9600, 0x4138, 0, 9600],
    [19200, 0x809c, 0, 19200],
    [38400, 0xc04e, 0, 38400],
    [57600, 0xc034, 0, 57554],
    [115200, 0x001a, 0, 115385],
    [2_000_000, 0x0001, 0, 2_000_000],
    [3_000_000, 0x0000, 0, 3_000_000],
  ];
  it.each(cases)('%i baud → wValue %i, wIndex %i', (baud, value, index, actual) => {
    const d = ftdiBaudDivisor(baud, '232r');
    expect(d.value).toBe(value);
    expect(d.index).toBe(index);
    expect(d.actualBaud).toBe(actual);
    expect(ftdiDivisorToBaud(d.value, d.index, '232r')).toBe(actual);
  });

  it('puts the third fraction bit in wIndex bit 0 (0.375 → code 4)', () => {
    // 24e6 / 8003 ≈ 2998.9 → d8 = 8003 = 1000 * 8 + 3 → int 1000, 3/8 → code 4 → wIndex 1
    const d = ftdiBaudDivisor(2999, '232r');
    expect(d.value).toBe(1000);
    expect(d.index).toBe(1);
    expect(ftdiDivisorToBaud(d.value, d.index, '232r')).toBe(Math.round(24e6 / 8003));
  });

  it('puts the port in the low byte and the fraction bit in the high byte on FT2232', () => {
    const d = ftdiBaudDivisor(2999, '2232c', 1);
    expect(d.index).toBe(0x0101);
    expect(ftdiDivisorToBaud(d.value, d.index, '2232c')).toBe(Math.round(24e6 / 8003));
  });

  it('rejects rates below 184 baud (divisor > 0x3FFF) and rates it cannot reach within 3 %', () => {
    expect(() => ftdiBaudDivisor(150, '232r')).toThrow(RangeError);
    expect(() => ftdiBaudDivisor(1_500_000 + 1, '232r')).not.toThrow();
    expect(() => ftdiBaudDivisor(0, '232r')).toThrow(RangeError);
  });

  it('round-trips every rate from 184 to 1.7 Mbaud within 3 %', () => {
    for (let baud = 184; baud < 1_700_000; baud = Math.ceil(baud * 1.07)) {
      const d = ftdiBaudDivisor(baud, '232r');
      const back = ftdiDivisorToBaud(d.value, d.index, '232r');
      expect(back).toBe(d.actualBaud);
      expect(Math.abs(back - baud) / baud).toBeLessThanOrEqual(0.03);
    }
  });

  it('uses the 12 MHz clock on hi-speed parts above 1200 baud (bit 17 → wIndex high byte)', () => {
    const d = ftdiBaudDivisor(115200, '232h');
    // 96e6 / 115200 = 833.3 → d8 833 = 104*8 + 1 → int 104, code 3 → 0xC068, hi-speed bit → index 2
    expect(d.value).toBe(0xc068);
    expect(d.index).toBe(2);
    expect(ftdiDivisorToBaud(d.value, d.index, '232h')).toBe(d.actualBaud);
    expect(ftdiBaudDivisor(300, '232h').value).toBe(0x2710);
  });

  it('knows the chip from bcdDevice', () => {
    expect(ftdiChipFromBcd(0x0600)).toBe('232r');
    expect(ftdiChipFromBcd(0x1000)).toBe('230x');
    expect(ftdiChipFromBcd(0x0500)).toBe('2232c');
    expect(ftdiChipFromBcd(0x0400)).toBe('bm');
  });
});
