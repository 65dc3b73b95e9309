import type { LineSettings } from '../../serial/line-settings.js';

/** One character as a UART receiver latched it. */
export interface UartChar {
  readonly value: number;
  readonly framing: boolean;
  readonly parity: boolean;
}

/** UARTs tolerate a few per cent of clock mismatch; FTDI's 115385 for 115200 is +0.16 %. */
const BAUD_TOLERANCE = 0.02;

function parityBit(value: number, dataBits: number, parity: LineSettings['parity']): number {
  let ones = 0;
  for (let k = 0; k < dataBits; k++) ones += (value >> k) & 1;
  switch (parity) {
    case 'even': return ones & 1;
    case 'odd': return (ones & 1) ^ 1;
    case 'mark': return 1;
    default: return 0;
  }
}

function serialize(bytes: Uint8Array, s: LineSettings): Uint8Array {
  const perChar = 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + Math.ceil(s.stopBits);
  const bits = new Uint8Array(bytes.length * perChar);
  let i = 0;
  for (const b of bytes) {
    bits[i++] = 0; // start bit
    for (let k = 0; k < s.dataBits; k++) bits[i++] = (b >> k) & 1;
    if (s.parity !== 'none') bits[i++] = parityBit(b, s.dataBits, s.parity);
    for (let k = 0; k < Math.ceil(s.stopBits); k++) bits[i++] = 1;
  }
  return bits;
}

/**
 * What a receiver configured with `readWith` makes of `bytes` sent with `sentWith`: the bits
 * are laid on the wire at the sender's rate and sampled mid-bit at the receiver's, as a UART
 * does. Matching settings pass bytes through; a wrong speed or format garbles them and raises
 * framing and parity errors exactly where a real receiver would.
 */
export function uartReceive(bytes: Uint8Array, sentWith: LineSettings, readWith: LineSettings): UartChar[] {
  const sameFormat = sentWith.dataBits === readWith.dataBits && sentWith.parity === readWith.parity;
  if (sameFormat && Math.abs(sentWith.baudRate - readWith.baudRate) / readWith.baudRate <= BAUD_TOLERANCE) {
    const mask = (1 << readWith.dataBits) - 1;
    return Array.from(bytes, (b) => ({ value: b & mask, framing: false, parity: false }));
  }
  const bits = serialize(bytes, sentWith);
  const r = sentWith.baudRate / readWith.baudRate; // one receiver bit, in sender bits
  const level = (p: number): number => (p < 0 || p >= bits.length ? 1 : bits[Math.floor(p)]!);
  const out: UartChar[] = [];
  let p = 0;
  while (p < bits.length) {
    let start = Math.ceil(p);
    while (start < bits.length && bits[start] !== 0) start++;
    if (start >= bits.length) break;
    if (level(start + r / 2) !== 0) {
      p = start + 1; // a glitch shorter than half a bit is not a start bit
      continue;
    }
    let value = 0;
    for (let k = 0; k < readWith.dataBits; k++) value |= level(start + r * (1.5 + k)) << k;
    let slot = 1 + readWith.dataBits;
    let parityError = false;
    if (readWith.parity !== 'none') {
      parityError = level(start + r * (slot + 0.5)) !== parityBit(value, readWith.dataBits, readWith.parity);
      slot++;
    }
    const framing = level(start + r * (slot + 0.5)) === 0;
    out.push({ value, framing, parity: parityError });
    p = start + r * (slot + 0.5);
  }
  return out;
}

/** Nominal rate for what a chip's divisor produced (so a meter sees "115200", not 115385). */
export function nominalBaud(actual: number): number {
  const standard = [300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600];
  for (const s of standard) if (Math.abs(actual - s) / s <= BAUD_TOLERANCE) return s;
  return actual;
}
