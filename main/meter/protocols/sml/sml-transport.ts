import { crc16X25 } from '../crc16.js';

/**
 * SML transport protocol v1 (TR-03109-1 Anlage IV §5.2): a transmission is
 *
 *   1B1B1B1B 01010101 <payload, padded to a multiple of 4 with 00> 1B1B1B1B 1A <pad count> <CRC>
 *
 * Payload bytes equal to 1B1B1B1B are doubled. Real meters pad so escapes fall on 4-byte
 * boundaries, but senders double an escape wherever it occurs, so the reader scans byte-wise.
 * The CRC is CRC-16/X-25 over everything from the first escape through the pad count, sent
 * low byte first.
 */
export const SML_ESCAPE = 0x1b;

export type SmlScan =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'no-start'; readonly skip: number }
  | {
      readonly kind: 'bad';
      readonly length: number;
      readonly code: 'METER_CHECKSUM' | 'METER_FRAMING' | 'METER_FRAME_TOO_LONG';
      readonly detail: string;
      readonly resume: number;
    }
  | { readonly kind: 'ok'; readonly length: number; readonly payload: Uint8Array };

function isEscape(buf: Uint8Array, i: number): boolean {
  return buf[i] === 0x1b && buf[i + 1] === 0x1b && buf[i + 2] === 0x1b && buf[i + 3] === 0x1b;
}

function isStart(buf: Uint8Array, i: number): boolean {
  return isEscape(buf, i) && buf[i + 4] === 0x01 && buf[i + 5] === 0x01 && buf[i + 6] === 0x01 && buf[i + 7] === 0x01;
}

/** Index of the next start sequence at or after `from`, or -1 (bytes up to end−7 checked). */
export function findSmlStart(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 8 <= end; i++) {
    if (buf[i] === 0x1b && isStart(buf, i)) return i;
  }
  return -1;
}

/** Read one transmission starting with a start sequence at `i`. */
export function scanSmlTransmission(buf: Uint8Array, i: number, end: number, maxLength: number): SmlScan {
  const payload: number[] = [];
  let p = i + 8;
  for (;;) {
    if (p - i > maxLength) return { kind: 'bad', length: p - i, code: 'METER_FRAME_TOO_LONG', detail: 'no end sequence', resume: i + 1 };
    if (p + 4 > end) return { kind: 'need-more' };
    if (!isEscape(buf, p)) {
      // Byte-wise, not 4-byte aligned: senders (and libsml) double an escape found anywhere.
      payload.push(buf[p]!);
      p++;
      continue;
    }
    if (p + 8 > end) return { kind: 'need-more' };
    if (isEscape(buf, p + 4)) {
      payload.push(0x1b, 0x1b, 0x1b, 0x1b);
      p += 8;
      continue;
    }
    if (buf[p + 4] === 0x01 && buf[p + 5] === 0x01 && buf[p + 6] === 0x01 && buf[p + 7] === 0x01) {
      // A new start inside: the previous transmission was torn.
      return { kind: 'bad', length: p - i, code: 'METER_FRAMING', detail: 'transmission interrupted', resume: p };
    }
    if (buf[p + 4] !== 0x1a) return { kind: 'bad', length: p + 8 - i, code: 'METER_FRAMING', detail: 'unknown escape', resume: i + 1 };
    const pad = buf[p + 5]!;
    const length = p + 8 - i;
    const crc = crc16X25(buf, i, p + 6);
    if ((buf[p + 6]! | (buf[p + 7]! << 8)) !== crc) {
      return { kind: 'bad', length, code: 'METER_CHECKSUM', detail: 'CRC16/X.25 mismatch', resume: p + 8 };
    }
    if (pad > 3 || pad > payload.length) return { kind: 'bad', length, code: 'METER_FRAMING', detail: 'bad padding', resume: p + 8 };
    return { kind: 'ok', length, payload: Uint8Array.from(payload.slice(0, payload.length - pad)) };
  }
}

/** Wrap a payload (simulated meters, tests). */
export function encodeSmlTransmission(payload: Uint8Array): Uint8Array {
  const out: number[] = [0x1b, 0x1b, 0x1b, 0x1b, 1, 1, 1, 1];
  const pad = (4 - (payload.length % 4)) % 4;
  const padded = new Uint8Array(payload.length + pad);
  padded.set(payload);
  for (let k = 0; k < padded.length; ) {
    if (k + 4 <= padded.length && isEscape(padded, k)) {
      out.push(0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b);
      k += 4;
    } else out.push(padded[k++]!);
  }
  out.push(0x1b, 0x1b, 0x1b, 0x1b, 0x1a, pad);
  const bytes = Uint8Array.from(out);
  const crc = crc16X25(bytes, 0, bytes.length);
  const res = new Uint8Array(bytes.length + 2);
  res.set(bytes);
  res[bytes.length] = crc & 0xff;
  res[bytes.length + 1] = crc >> 8;
  return res;
}
