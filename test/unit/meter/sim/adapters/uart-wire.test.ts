import { describe, expect, it } from 'vitest';
import { LINE_7E1_300, LINE_8N1_115200, type LineSettings } from '../../../../../main/meter/serial/line-settings.js';
import { nominalBaud, uartReceive } from '../../../../../main/meter/sim/adapters/uart-wire.js';

const L8N1 = (baudRate: number): LineSettings => ({ baudRate, dataBits: 8, parity: 'none', stopBits: 1 });
const ascii = new TextEncoder().encode('/ISK5\\2M550T-1012\r\n');

describe('simulated UART wire', () => {
  it('passes bytes through when both ends agree, within clock tolerance', () => {
    const got = uartReceive(ascii, L8N1(115200), L8N1(115385));
    expect(got.map((c) => c.value)).toEqual([...ascii]);
    expect(got.some((c) => c.framing || c.parity)).toBe(false);
  });

  it('7E1 read as 8N1 shows the parity bit as bit 7 and no framing error (same frame length)', () => {
    const got = uartReceive(ascii, { ...LINE_7E1_300, baudRate: 9600 }, L8N1(9600));
    expect(got).toHaveLength(ascii.length);
    for (let i = 0; i < ascii.length; i++) {
      const b = ascii[i]!;
      let ones = 0;
      for (let k = 0; k < 7; k++) ones += (b >> k) & 1;
      expect(got[i]!.value).toBe(b | ((ones & 1) << 7));
      expect(got[i]!.framing).toBe(false);
    }
  });

  it('8N1 read as 7E1 raises parity errors where bit 7 disagrees with even parity', () => {
    const got = uartReceive(Uint8Array.of(0x41, 0x43), L8N1(9600), { ...LINE_7E1_300, baudRate: 9600 });
    // 0x41 has two ones → even parity bit 0 = bit 7 of 0x41: fine; 0x43 has three → expects 1, gets 0.
    expect(got.map((c) => [c.value, c.parity])).toEqual([
      [0x41, false],
      [0x43, true],
    ]);
  });

  it('a meter at 115200 read at 9600 gives fewer, garbled characters and framing errors', () => {
    const block = new Uint8Array(200).fill(0x55);
    const got = uartReceive(block, LINE_8N1_115200, L8N1(9600));
    expect(got.length).toBeLessThan(40);
    expect(got.some((c) => c.framing)).toBe(true);
  });

  it('a meter at 300 read at 9600 gives many characters per byte', () => {
    const got = uartReceive(Uint8Array.of(0x00), L8N1(300), L8N1(9600));
    expect(got.length).toBeGreaterThan(5);
    expect(got.every((c) => c.value === 0 && c.framing)).toBe(true);
  });

  it('reports nominal rates for divisor rounding', () => {
    expect(nominalBaud(115385)).toBe(115200);
    expect(nominalBaud(57554)).toBe(57600);
    expect(nominalBaud(100000)).toBe(100000);
  });
});
