import { toHexUpper } from '../../../common/hex.js';
import type { Quantity, Reading } from '../../reading.js';
import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { bcdByte, decodeDltItems, DI_ADDRESS, DI_DATE, DI_TIME, DLT645_DATA_IDS } from './dlt645-data.js';
import {
  addressToString,
  DLT645_PREAMBLE,
  DLT645_START,
  DltControl,
  DltFunction,
  describeDltError,
  probeDltFrame,
} from './dlt645-frame.js';


/**
 * Streaming DL/T 645-2007 decoder for captures of both directions on the bus. Read replies of
 * known data identifiers become readings (one per frame; a poller merges a cycle's replies);
 * requests, address replies and date/time replies become 'frame' events with their facts;
 * abnormal replies become METER_DLT645_EXCEPTION with the ERR bits.
 */
export class Dlt645Decoder extends DecoderBase {
  readonly protocol = 'dlt645' as const;
  readonly #data = new Uint8Array(256);
  /** After a checksum failure, candidates inside the failed span are skipped silently. */
  #quietUntil = -1;
  #lastAddrBytes = new Uint8Array(6);
  #lastAddr = '';

  constructor(listener: DecodeListener, options: DecoderCountOptions = {}) {
    super(listener, { window: 8192, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a frame' }, stats: options.stats });
  }

  protected override shifted(shift: number): void {
    if (this.#quietUntil >= 0) this.#quietUntil -= shift;
  }

  #address(buf: Uint8Array, at: number): string {
    const last = this.#lastAddrBytes;
    let same = this.#lastAddr !== '';
    for (let k = 0; k < 6 && same; k++) if (last[k] !== buf[at + k]) same = false;
    if (!same) {
      for (let k = 0; k < 6; k++) last[k] = buf[at + k]!;
      this.#lastAddr = addressToString(buf, at);
    }
    return this.#lastAddr;
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    let i = w.start;
    const end = w.end;
    while (i < end) {
      const c = buf[i]!;
      if (c !== DLT645_START) {
        if (c !== DLT645_PREAMBLE && this.garbage < 0 && i >= this.#quietUntil) this.garbage = i;
        i++;
        continue;
      }
      const r = probeDltFrame(buf, i, end);
      if (r === 0) {
        // A start whose length reaches past the bytes we have. If a complete, valid frame
        // starts inside that span, this start was noise: waiting for it would hold back a
        // meter's reply until unrelated bytes arrive.
        let j = i + 1;
        while (j < end && !(buf[j] === DLT645_START && probeDltFrame(buf, j, end) > 0)) j++;
        if (j >= end) break;
        if (this.garbage < 0 && i >= this.#quietUntil) this.garbage = i;
        i = j;
        continue;
      }
      if (r === -1) {
        if (this.garbage < 0 && i >= this.#quietUntil) this.garbage = i;
        i++;
        continue;
      }
      if (r === -2) {
        if (i >= this.#quietUntil) {
          this.flushGarbage(i);
          const n = 12 + buf[i + 9]!;
          this.emit({ kind: 'error', code: 'METER_CHECKSUM', offset: w.offsetOf(i), length: n, detail: 'checksum or end byte mismatch' });
          this.#quietUntil = i + n;
        }
        i++;
        continue;
      }
      this.flushGarbage(i);
      this.#frame(buf, i, r, receivedAt);
      this.#quietUntil = -1;
      i += r;
    }
    this.flushGarbageOver(4096, i);
    w.start = i;
  }

  #frame(buf: Uint8Array, i: number, length: number, receivedAt: number): void {
    const w = this.w;
    const offset = w.offsetOf(i);
    const control = buf[i + 8]!;
    const n = buf[i + 9]!;
    const data = this.#data;
    for (let k = 0; k < n; k++) data[k] = (buf[i + 10 + k]! - 0x33) & 0xff;
    const fn = control & 0x1f;
    const address = this.#address(buf, i + 1);
    if (!(control & DltControl.reply)) {
      const di = n >= 4 ? (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0 : -1;
      this.emit({ kind: 'frame', offset, length, what: 'dlt645.request', facts: { address, function: fn, ...(di >= 0 ? { di: di.toString(16).padStart(8, '0') } : {}) } });
      return;
    }
    if (control & DltControl.abnormal) {
      const err = n >= 1 ? data[0]! : 0;
      this.emit({ kind: 'error', code: 'METER_DLT645_EXCEPTION', offset, length, detail: `meter ${address} refused (ERR 0x${err.toString(16).padStart(2, '0')}: ${describeDltError(err)})` });
      return;
    }
    if (fn === DltFunction.readAddress) {
      this.emit({ kind: 'frame', offset, length, what: 'dlt645.address', facts: { address } });
      return;
    }
    if ((fn !== DltFunction.readData && fn !== DltFunction.readFollowUp) || n < 4) {
      this.emit({ kind: 'frame', offset, length, what: 'dlt645.reply', facts: { address, function: fn, data: toHexUpper(data.subarray(0, n)) } });
      return;
    }
    const di = (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
    // Follow-up replies (function 0x12) end with a frame sequence number (§7.2.2), not data.
    const dataEnd = fn === DltFunction.readFollowUp ? n - 1 : n;
    const id = DLT645_DATA_IDS.get(di);
    if (id) {
      const need = id.items.reduce((s, it) => s + it.bytes, 0);
      const quantities: Quantity[] = [];
      if (dataEnd - 4 < need || !decodeDltItems(id, data, 4, quantities)) {
        this.emit({ kind: 'error', code: 'METER_FRAMING', offset, length, detail: `data of DI ${di.toString(16)} is not BCD of the expected length` });
        return;
      }
      const reading: Reading = { meterId: address, protocol: 'dlt645', meterTime: null, receivedAt, quantities, raw: [] };
      this.emit({ kind: 'reading', offset, length, reading });
      return;
    }
    const facts: Record<string, string | number> = { address, di: di.toString(16).padStart(8, '0') };
    if (di === DI_DATE && dataEnd >= 8) {
      const yy = bcdByte(data[7]!), mm = bcdByte(data[6]!), dd = bcdByte(data[5]!);
      if (yy >= 0 && mm >= 1 && dd >= 1) facts.date = `20${String(yy).padStart(2, '0')}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
    } else if (di === DI_TIME && dataEnd >= 7) {
      const hh = bcdByte(data[6]!), mi = bcdByte(data[5]!), ss = bcdByte(data[4]!);
      if (hh >= 0 && mi >= 0 && ss >= 0) facts.time = `${String(hh).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
    } else if (di === DI_ADDRESS && dataEnd >= 10) {
      facts.meterAddress = addressToString(data, 4);
    } else facts.data = toHexUpper(data.subarray(4, dataEnd));
    if (control & DltControl.followUp) facts.followUp = 1;
    this.emit({ kind: 'frame', offset, length, what: 'dlt645.reply', facts });
  }

  protected override cleared(): void {
    this.#quietUntil = -1;
  }
}
