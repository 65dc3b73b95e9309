import { describe, expect, it } from 'vitest';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { ch34xBaudFromRegisters, ch34xBaudRegisters, ch34xLcr, ch34xLineFromLcr } from '../../../../main/meter/usb/ch34x-baud.js';

// Worked examples from USB-ADAPTERS.md (derived from usb-serial-for-android Ch34xSerialDriver and
// checked against Linux ch341.c's prescaler table).
describe('CH34x baud registers', () => {
  it.each([
    [300, 0xd980, 0x06],
    [9600, 0xb282, 0x0c],
    [115200, 0xcc83, 0x08],
    [921600, 0xf387, 0x00],
  ])('%i baud → 0x1312 = %i, 0x0F2C = %i', (baud, reg1312, reg0f2c) => {
    expect(ch34xBaudRegisters(baud)).toEqual({ reg1312, reg0f2c });
    expect(ch34xBaudFromRegisters(reg1312, reg0f2c)).toBe(baud);
  });

  it('lands within 0.5 % for every common rate from 300 to 460800', () => {
    for (const baud of [300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800]) {
      const r = ch34xBaudRegisters(baud);
      const back = ch34xBaudFromRegisters(r.reg1312, r.reg0f2c)!;
      expect(Math.abs(back - baud) / baud).toBeLessThan(0.005);
    }
  });

  it('refuses rates below the slowest prescaler', () => {
    expect(() => ch34xBaudRegisters(20)).toThrow(RangeError);
  });

  it('encodes the line control register', () => {
    expect(ch34xLcr(LINE_8N1_115200)).toBe(0xc3);
    expect(ch34xLcr(LINE_7E1_300)).toBe(0xda);
    expect(ch34xLcr({ baudRate: 9600, dataBits: 8, parity: 'odd', stopBits: 2 })).toBe(0xcf);
    expect(() => ch34xLcr({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1.5 })).toThrow(RangeError);
    for (const parity of ['none', 'odd', 'even', 'mark', 'space'] as const) {
      expect(ch34xLineFromLcr(ch34xLcr({ baudRate: 9600, dataBits: 7, parity, stopBits: 1 }))).toEqual({ dataBits: 7, parity, stopBits: 1 });
    }
  });
});
