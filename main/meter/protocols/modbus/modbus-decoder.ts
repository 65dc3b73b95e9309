import { toHexUpper } from '../../../common/hex.js';
import type { Quantity } from '../../reading.js';
import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeListener } from '../decoder.js';
import { MODBUS_EXCEPTIONS, probeModbus } from './modbus-rtu.js';
import { sdmQuantities } from './sdm-registers.js';

/**
 * Streaming Modbus RTU decoder for Eastron SDM meters. A response does not say which registers
 * it holds; the decoder takes that from the request it saw last on the bus (captures) or from
 * `expect()` (the poller, which writes requests the decoder never sees).
 */
export class ModbusDecoder extends DecoderBase {
  readonly protocol = 'modbus' as const;
  #pendingStart = -1;

  constructor(listener: DecodeListener, options: DecoderCountOptions = {}) {
    // RTU has no start marker: bytes outside a frame are bytes no CRC vouched for.
    super(listener, { window: 1024, garbage: { code: 'METER_CHECKSUM', detail: 'bytes that form no CRC-valid frame' }, stats: options.stats });
  }

  /** The next response answers a read starting at register `start`. */
  expect(start: number): void {
    this.#pendingStart = start;
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    let i = w.start;
    const end = w.end;
    while (i < end) {
      const r = probeModbus(buf, i, end, this.#pendingStart >= 0);
      if (r.len === 0) {
        // Undecided: this may be the start of a longer frame. But if a complete CRC-valid frame
        // starts further on, this start was noise (don't hold a reply back waiting for it); and
        // a frame is never longer than 256 bytes.
        let j = i + 1;
        while (j < end && !((probeModbus(buf, j, end, this.#pendingStart >= 0).len ?? 0) > 0)) j++;
        if (j >= end && end - i <= 260) break;
        if (this.garbage < 0) this.garbage = i;
        i = j < end ? j : i + 1;
        continue;
      }
      if (r.len < 0 || !r.pdu) {
        if (this.garbage < 0) this.garbage = i;
        i++;
        continue;
      }
      this.flushGarbage(i);
      const offset = w.offsetOf(i);
      const length = r.len;
      const pdu = r.pdu;
      if (pdu.kind === 'request') {
        this.#pendingStart = pdu.start;
        this.emit({ kind: 'frame', offset, length, what: 'modbus.request', facts: { slave: pdu.slave, start: pdu.start, count: pdu.count } });
      } else if (pdu.kind === 'exception') {
        this.#pendingStart = -1;
        this.emit({ kind: 'error', code: 'METER_MODBUS_EXCEPTION', offset, length, detail: `slave ${pdu.slave} exception ${pdu.code} (${MODBUS_EXCEPTIONS[pdu.code] ?? 'unknown'})` });
      } else if (this.#pendingStart >= 0) {
        const quantities: Quantity[] = [];
        sdmQuantities(this.#pendingStart, pdu.data, quantities);
        this.#pendingStart = -1;
        this.emit({ kind: 'reading', offset, length, reading: { meterId: `modbus:${pdu.slave}`, protocol: 'modbus', meterTime: null, receivedAt, quantities, raw: [] } });
      } else {
        this.emit({ kind: 'frame', offset, length, what: 'modbus.response', facts: { slave: pdu.slave, data: toHexUpper(pdu.data) } });
      }
      i += length;
    }
    this.flushGarbageOver(1024, i);
    w.start = i;
  }

  protected override cleared(): void {
    this.#pendingStart = -1;
  }
}
