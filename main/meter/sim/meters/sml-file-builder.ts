import { crc16X25 } from '../../protocols/crc16.js';
import { SML_CLOSE_RESPONSE, SML_GET_LIST_RESPONSE, SML_OPEN_RESPONSE } from '../../protocols/sml/sml-reading.js';
import { encodeSmlValue, sml, type SmlValue } from '../../protocols/sml/sml-tlv.js';
import { encodeSmlTransmission } from '../../protocols/sml/sml-transport.js';
import type { HouseholdState } from './household-day.js';

const obis = (...b: number[]) => sml.octets(Uint8Array.from(b));

/** One SML message with its own CRC16 (computed over the message's bytes up to the CRC). */
function message(transactionId: number, group: number, tag: number, body: SmlValue): number[] {
  const head: number[] = [];
  // list of 6: transactionId, groupNo, abortOnError, body, crc16, endOfSmlMsg
  head.push(0x76);
  encodeSmlValue(sml.octets(Uint8Array.of(transactionId >> 24, transactionId >> 16, transactionId >> 8, transactionId & 0xff)), head);
  encodeSmlValue(sml.u8(group), head);
  encodeSmlValue(sml.u8(0), head);
  encodeSmlValue(sml.list(sml.u32(tag), body), head);
  const crc = crc16X25(Uint8Array.from(head));
  encodeSmlValue(sml.u16(crc), head);
  head.push(0x00);
  return head;
}

/**
 * An eHZ-style SML file: OpenResponse, GetListResponse (server id, 1.8.0 / 2.8.0 in Wh with
 * scaler −1, 16.7.0 sum active power signed in W), CloseResponse, wrapped in the transport.
 */
export function buildSmlFile(serverId: Uint8Array, seq: number, secIndex: number, s: HouseholdState): Uint8Array {
  const out: number[] = [];
  out.push(...message(seq * 3, 0, SML_OPEN_RESPONSE, sml.list(sml.absent, sml.absent, sml.octets(Uint8Array.of(seq >> 8, seq & 0xff)), sml.octets(serverId), sml.absent, sml.absent)));
  const entry = (o: SmlValue, unit: number, scaler: number, value: SmlValue) => sml.list(o, sml.absent, sml.absent, sml.u8(unit), sml.i8(scaler), value, sml.absent);
  const valList = sml.list(
    sml.list(obis(0x81, 0x81, 0xc7, 0x82, 0x03, 0xff), sml.absent, sml.absent, sml.absent, sml.absent, sml.octets('WAT'), sml.absent),
    sml.list(obis(1, 0, 0, 0, 9, 0xff), sml.absent, sml.absent, sml.absent, sml.absent, sml.octets(serverId), sml.absent),
    entry(obis(1, 0, 1, 8, 0, 0xff), 30, -1, sml.u64((s.import1Wh + s.import2Wh) * 10)),
    entry(obis(1, 0, 2, 8, 0, 0xff), 30, -1, sml.u64((s.export1Wh + s.export2Wh) * 10)),
    entry(obis(1, 0, 16, 7, 0, 0xff), 27, 0, sml.i32(s.importW - s.exportW)),
  );
  const actTime = sml.list(sml.u8(1), sml.u32(secIndex));
  out.push(...message(seq * 3 + 1, 0, SML_GET_LIST_RESPONSE, sml.list(sml.absent, sml.octets(serverId), sml.absent, actTime, valList, sml.absent, sml.absent)));
  out.push(...message(seq * 3 + 2, 0, SML_CLOSE_RESPONSE, sml.list(sml.absent)));
  return encodeSmlTransmission(Uint8Array.from(out));
}
