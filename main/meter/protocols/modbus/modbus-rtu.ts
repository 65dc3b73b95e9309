import { crc16Modbus } from '../crc16.js';

/**
 * Modbus RTU (Modbus over serial line v1.02 §2.5): slave address, function code, data, CRC-16
 * (poly 0xA001, init 0xFFFF) low byte first. Wattlet uses function 0x04 "read input registers";
 * an exception reply sets bit 7 of the function code and carries one exception code.
 */
export const FC_READ_INPUT = 0x04;

export const MODBUS_EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  6: 'slave device busy',
};

function withCrc(body: number[]): Uint8Array {
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  const crc = crc16Modbus(out, 0, body.length);
  out[body.length] = crc & 0xff;
  out[body.length + 1] = crc >> 8;
  return out;
}

export function readInputRequest(slave: number, start: number, count: number): Uint8Array {
  return withCrc([slave, FC_READ_INPUT, start >> 8, start & 0xff, count >> 8, count & 0xff]);
}

export function readInputResponse(slave: number, registers: Uint8Array): Uint8Array {
  return withCrc([slave, FC_READ_INPUT, registers.length, ...registers]);
}

export function exceptionResponse(slave: number, fc: number, code: number): Uint8Array {
  return withCrc([slave, fc | 0x80, code]);
}

export function crcOk(buf: Uint8Array, i: number, len: number): boolean {
  const crc = crc16Modbus(buf, i, i + len - 2);
  return buf[i + len - 2] === (crc & 0xff) && buf[i + len - 1] === crc >> 8;
}

export type ModbusPdu =
  | { readonly kind: 'request'; readonly slave: number; readonly start: number; readonly count: number }
  | { readonly kind: 'response'; readonly slave: number; readonly data: Uint8Array }
  | { readonly kind: 'exception'; readonly slave: number; readonly fc: number; readonly code: number };

/**
 * RTU has no delimiter but silence, which a byte stream does not carry; frames are recognized by
 * shape and CRC. At `i`: >0 length of a CRC-valid frame (with its pdu), 0 need more, -1 not a
 * frame here. A request and a response of 0x04 can both fit; the CRC decides.
 */
export function probeModbus(buf: Uint8Array, i: number, end: number, expectResponse: boolean): { len: number; pdu?: ModbusPdu } {
  if (end - i < 2) return { len: 0 };
  const slave = buf[i]!;
  const fc = buf[i + 1]!;
  if (slave === 0 || slave > 247) return { len: -1 };
  if (fc & 0x80 && fc !== 0x80) {
    // An exception to any function (a meter refusing a function it lacks answers fc | 0x80).
    if (end - i < 5) return { len: 0 };
    return crcOk(buf, i, 5) ? { len: 5, pdu: { kind: 'exception', slave, fc: fc & 0x7f, code: buf[i + 2]! } } : { len: -1 };
  }
  if (fc !== FC_READ_INPUT) return { len: -1 };
  let needMore = false;
  const tryResponse = (): { len: number; pdu?: ModbusPdu } | null => {
    if (end - i < 3) return (needMore = true), null;
    const n = buf[i + 2]!;
    if (n === 0 || n % 2 !== 0 || n > 250) return null;
    if (end - i < 5 + n) return (needMore = true), null;
    return crcOk(buf, i, 5 + n) ? { len: 5 + n, pdu: { kind: 'response', slave, data: buf.slice(i + 3, i + 3 + n) } } : null;
  };
  const tryRequest = (): { len: number; pdu?: ModbusPdu } | null => {
    if (end - i < 8) return (needMore = true), null;
    if (!crcOk(buf, i, 8)) return null;
    return { len: 8, pdu: { kind: 'request', slave, start: (buf[i + 2]! << 8) | buf[i + 3]!, count: (buf[i + 4]! << 8) | buf[i + 5]! } };
  };
  const first = expectResponse ? tryResponse() : tryRequest();
  if (first) return first;
  const second = expectResponse ? tryRequest() : tryResponse();
  if (second) return second;
  return { len: needMore ? 0 : -1 };
}
