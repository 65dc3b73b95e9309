/**
 * DL/T 645-2007 link frames (GB/T "多功能电能表通信协议" §4):
 *
 *   [FE FE FE FE] 68 A0 A1 A2 A3 A4 A5 68 C L DATA… CS 16
 *
 * - FE…: wake-up preamble the master sends before a frame (RS-485 transceivers need it to settle).
 * - A0..A5: the meter address, 12 BCD digits, lowest pair first. AA…AA is the broadcast/wildcard.
 * - C: bit 7 direction (1 = reply from meter), bit 6 abnormal reply, bit 5 follow-up frame
 *   exists, bits 4..0 function (0x11 read data, 0x12 read follow-up, 0x13 read address …).
 * - L: data length (≤ 200); every data byte is sent +0x33 (mod 256) so a line idle at 0x00 can
 *   never look like data.
 * - CS: sum of all bytes from the first 68 through the data, mod 256.
 */
export const DLT645_START = 0x68;
export const DLT645_END = 0x16;
export const DLT645_PREAMBLE = 0xfe;
export const DLT645_MAX_DATA = 200;
export const DLT645_BROADCAST = 'AAAAAAAAAAAA';

export const DltFunction = {
  readData: 0x11,
  readFollowUp: 0x12,
  readAddress: 0x13,
  broadcastTime: 0x08,
} as const;

export const DltControl = {
  reply: 0x80,
  abnormal: 0x40,
  followUp: 0x20,
} as const;

export interface DltFrame {
  /** 12 characters as printed on the meter's plate (BCD digits, or 'A' for the wildcard). */
  readonly address: string;
  readonly control: number;
  /** Data with the +0x33 offset already removed. */
  readonly data: Uint8Array;
}

/** DL/T 645 §7 error bits of an abnormal reply (ERR byte). */
export const DLT645_ERROR_BITS: Record<number, string> = {
  0x01: 'other error',
  0x02: 'no data requested',
  0x04: 'password error or unauthorized',
  0x08: 'baud rate cannot be changed',
  0x10: 'year time zones exceeded',
  0x20: 'daily time periods exceeded',
  0x40: 'tariffs exceeded',
};

export function describeDltError(err: number): string {
  const parts: string[] = [];
  for (const [bit, text] of Object.entries(DLT645_ERROR_BITS)) if (err & Number(bit)) parts.push(text);
  return parts.length ? parts.join(', ') : 'unspecified error';
}

const HEX = '0123456789ABCDEF';

export function addressToString(buf: Uint8Array, at: number): string {
  let s = '';
  for (let k = 5; k >= 0; k--) {
    const b = buf[at + k]!;
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}

export function addressToBytes(address: string): Uint8Array {
  if (!/^[0-9A]{12}$/i.test(address)) throw new RangeError(`DL/T 645 address must be 12 BCD digits, got ${address}`);
  const out = new Uint8Array(6);
  for (let k = 0; k < 6; k++) out[5 - k] = parseInt(address.slice(2 * k, 2 * k + 2), 16);
  return out;
}

/** Data identifier DI3..DI0 as sent (DI0 first), e.g. 0x0001FF00. */
export function diBytes(di: number): Uint8Array {
  return new Uint8Array([di & 0xff, (di >>> 8) & 0xff, (di >>> 16) & 0xff, di >>> 24]);
}

export function encodeDltFrame(frame: DltFrame, preamble = 4): Uint8Array {
  const n = frame.data.length;
  if (n > DLT645_MAX_DATA) throw new RangeError('DL/T 645 data too long');
  const out = new Uint8Array(preamble + 12 + n);
  out.fill(DLT645_PREAMBLE, 0, preamble);
  let p = preamble;
  out[p] = DLT645_START;
  out.set(addressToBytes(frame.address), p + 1);
  out[p + 7] = DLT645_START;
  out[p + 8] = frame.control;
  out[p + 9] = n;
  for (let k = 0; k < n; k++) out[p + 10 + k] = (frame.data[k]! + 0x33) & 0xff;
  let cs = 0;
  for (let k = p; k < p + 10 + n; k++) cs += out[k]!;
  out[p + 10 + n] = cs & 0xff;
  out[p + 11 + n] = DLT645_END;
  return out;
}

/** Read-data request for one data identifier. */
export function dltReadRequest(address: string, di: number): Uint8Array {
  return encodeDltFrame({ address, control: DltFunction.readData, data: diBytes(di) });
}

/** Read-address request, broadcast (§7.3: answered by the single meter on the bus). */
export function dltReadAddressRequest(): Uint8Array {
  return encodeDltFrame({ address: DLT645_BROADCAST, control: DltFunction.readAddress, data: new Uint8Array(0) });
}

/**
 * Classify buf[i..end) as a frame start: >0 total length of a frame whose checksum and end byte
 * hold, 0 = need more bytes, -1 = not a frame here, -2 = frame-shaped but checksum/end wrong.
 */
export function probeDltFrame(buf: Uint8Array, i: number, end: number): number {
  if (end - i < 10) return buf[i] === DLT645_START && (end - i < 8 || buf[i + 7] === DLT645_START) ? 0 : -1;
  if (buf[i] !== DLT645_START || buf[i + 7] !== DLT645_START) return -1;
  const n = buf[i + 9]!;
  if (n > DLT645_MAX_DATA) return -1;
  const total = 12 + n;
  if (end - i < total) return 0;
  let cs = 0;
  const last = i + 10 + n;
  for (let k = i; k < last; k++) cs += buf[k]!;
  if ((cs & 0xff) !== buf[last] || buf[last + 1] !== DLT645_END) return -2;
  return total;
}

/** Parse a frame that probeDltFrame accepted. */
export function parseDltFrame(buf: Uint8Array, i: number): DltFrame {
  const n = buf[i + 9]!;
  const data = new Uint8Array(n);
  for (let k = 0; k < n; k++) data[k] = (buf[i + 10 + k]! - 0x33) & 0xff;
  return { address: addressToString(buf, i + 1), control: buf[i + 8]!, data };
}
