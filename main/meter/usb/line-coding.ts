import type { LineSettings } from '../serial/line-settings.js';

/**
 * The 7-byte line coding of CDC PSTN SET_LINE_CODING (USB CDC PSTN 1.2 §6.3.11), which the
 * PL2303 also uses: dwDTERate (u32 LE), bCharFormat (0 = 1, 1 = 1.5, 2 = 2 stop bits),
 * bParityType (0 N, 1 O, 2 E, 3 M, 4 S), bDataBits.
 */
const PARITY = ['none', 'odd', 'even', 'mark', 'space'] as const;
const STOP = [1, 1.5, 2] as const;

export function encodeLineCoding(s: LineSettings, rateField: number = s.baudRate): Uint8Array {
  const b = new Uint8Array(7);
  new DataView(b.buffer).setUint32(0, rateField >>> 0, true);
  b[4] = STOP.indexOf(s.stopBits);
  b[5] = PARITY.indexOf(s.parity);
  b[6] = s.dataBits;
  return b;
}

/** The settings a line coding selects, or null when a field is out of range. */
export function decodeLineCoding(b: Uint8Array): { rateField: number; stopBits: LineSettings['stopBits']; parity: LineSettings['parity']; dataBits: number } | null {
  if (b.length !== 7) return null;
  const stopBits = STOP[b[4]!];
  const parity = PARITY[b[5]!];
  if (stopBits === undefined || parity === undefined) return null;
  return { rateField: new DataView(b.buffer, b.byteOffset, 7).getUint32(0, true), stopBits, parity, dataBits: b[6]! };
}
