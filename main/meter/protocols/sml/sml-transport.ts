import { crc16Kermit, crc16X25 } from '../crc16.js';

/**
 * SML transport protocol v1 (TR-03109-1 Anlage IV §5.2): a transmission is
 *
 *   1B1B1B1B 01010101 <payload, padded to a multiple of 4 with 00> 1B1B1B1B 1A <pad count> <CRC>
 *
 * Payload bytes equal to 1B1B1B1B are doubled. Real meters pad so escapes fall on 4-byte
 * boundaries, but senders double an escape wherever it occurs, so the reader scans byte-wise.
 * The CRC is CRC-16/X-25 over everything from the first escape through the pad count, sent
 * low byte first.
 *
 * Scanned with indexOf jumps to the next 0x1B (payload bytes are looked at by native code only)
 * and the payload handed out as a view of the window unless escapes inside had to be undone.
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
  /**
   * A whole transmission. `crc` says which check held: X.25 as the standard says, or CRC-16/KERMIT
   * (Holley DTZ541 firmware, quirks table), which the decoder accepts only from a meter known for
   * it. `payload` may be a view of `buf`: read it before the buffer changes.
   */
  | { readonly kind: 'ok'; readonly length: number; readonly payload: Uint8Array; readonly crc: 'x25' | 'kermit' };

function isEscape(buf: Uint8Array, i: number): boolean {
  return buf[i] === 0x1b && buf[i + 1] === 0x1b && buf[i + 2] === 0x1b && buf[i + 3] === 0x1b;
}

function isStart(buf: Uint8Array, i: number): boolean {
  return isEscape(buf, i) && buf[i + 4] === 0x01 && buf[i + 5] === 0x01 && buf[i + 6] === 0x01 && buf[i + 7] === 0x01;
}

/** Index of the next start sequence at or after `from`, or -1 (bytes up to end−7 checked). */
export function findSmlStart(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 8 <= end; ) {
    const k = buf.indexOf(0x1b, i);
    if (k < 0 || k + 8 > end) return -1;
    if (isStart(buf, k)) return k;
    i = k + 1;
  }
  return -1;
}

/** Read one transmission starting with a start sequence at `i`. */
export function scanSmlTransmission(buf: Uint8Array, i: number, end: number, maxLength: number): SmlScan {
  let p = i + 8;
  /** Payload offsets (window indices) of doubled escapes, whose second half is dropped. */
  let doubled: number[] | null = null;
  for (;;) {
    // Jump to the next 0x1B: payload bytes are copied never, escapes are rare.
    let k = buf.indexOf(0x1b, p);
    if (k < 0 || k >= end) k = end;
    if (k - i > maxLength) return { kind: 'bad', length: k - i, code: 'METER_FRAME_TOO_LONG', detail: 'no end sequence', resume: i + 1 };
    if (k + 4 > end) return { kind: 'need-more' };
    p = k;
    if (!isEscape(buf, p)) {
      // Byte-wise, not 4-byte aligned: senders (and libsml) double an escape found anywhere.
      p++;
      continue;
    }
    if (p + 8 > end) return { kind: 'need-more' };
    if (isEscape(buf, p + 4)) {
      (doubled ??= []).push(p + 4);
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
    const sent = buf[p + 6]! | (buf[p + 7]! << 8);
    let crc: 'x25' | 'kermit' = 'x25';
    if (crc16X25(buf, i, p + 6) !== sent) {
      // CRC-16/KERMIT, its value sent high byte first (open-sml SmlFile.js, libsml sml_message.c).
      if (crc16Kermit(buf, i, p + 6) !== ((buf[p + 6]! << 8) | buf[p + 7]!)) {
        return { kind: 'bad', length, code: 'METER_CHECKSUM', detail: 'CRC16/X.25 mismatch', resume: p + 8 };
      }
      crc = 'kermit';
    }
    const payloadLength = p - (i + 8) - (doubled ? doubled.length * 4 : 0);
    if (pad > 3 || pad > payloadLength) return { kind: 'bad', length, code: 'METER_FRAMING', detail: 'bad padding', resume: p + 8 };
    let payload: Uint8Array;
    if (!doubled) payload = buf.subarray(i + 8, p - pad);
    else {
      const out = new Uint8Array(payloadLength);
      let o = 0;
      let from = i + 8;
      for (const d of doubled) {
        out.set(buf.subarray(from, d), o);
        o += d - from;
        from = d + 4;
      }
      out.set(buf.subarray(from, p), o);
      payload = out.subarray(0, payloadLength - pad);
    }
    return { kind: 'ok', length, payload, crc };
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
