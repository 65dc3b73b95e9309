import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../main/meter/protocols/create-decoder.js';
import type { DecodeListener } from '../../../../main/meter/protocols/decoder.js';
import { encodeBcd } from '../../../../main/meter/protocols/dlt645/dlt645-data.js';
import { encodeDltFrame } from '../../../../main/meter/protocols/dlt645/dlt645-frame.js';
import { dataBlock } from '../../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { obisName } from '../../../../main/meter/protocols/obis-name.js';
import { encodeSmlValue, sml } from '../../../../main/meter/protocols/sml/sml-tlv.js';
import { encodeSmlTransmission } from '../../../../main/meter/protocols/sml/sml-transport.js';
import type { MeterProtocol, Quantity } from '../../../../main/meter/reading.js';
import { concat, decodeChunked, readings } from './helpers.js';

const decode = async (protocol: MeterProtocol, bytes: Uint8Array) =>
  readings(await decodeChunked((l: DecodeListener) => createDecoder(protocol, l), bytes)).flatMap((r) => r.quantities);
const pick = (qs: readonly Quantity[], names: readonly string[]) => names.map((n) => qs.find((q) => q.obis === n)?.value);

/** An SML file with one GetListResponse of `entries` [A,B,C,D,E,F, unit, scaler, value]. */
function smlFile(entries: readonly (readonly [number, number, number, number, number, number, number, number, number])[]): Uint8Array {
  const o = (...b: number[]) => sml.octets(Uint8Array.from(b));
  const list = entries.map(([a, b, c, d, e, f, unit, scaler, v]) => sml.list(o(a, b, c, d, e, f), sml.absent, sml.absent, sml.u8(unit), sml.i8(scaler), sml.i32(v), sml.absent));
  const body = sml.list(sml.u32(0x0701), sml.list(sml.absent, o(0x0a, 0x01, 0x57, 0x41, 0x54, 0, 1, 2, 3, 4), sml.absent, sml.absent, sml.list(...list), sml.absent, sml.absent));
  const out: number[] = [];
  encodeSmlValue(sml.list(o(1), sml.u8(0), sml.u8(0), body, sml.u16(0), sml.end), out);
  return encodeSmlTransmission(Uint8Array.from(out));
}

/** A DL/T 645 read reply for a data identifier with its BCD payload. */
const dlt = (di: number, payload: Uint8Array) =>
  encodeDltFrame({ address: '000012345678', control: 0x91, data: concat([Uint8Array.of(di & 0xff, (di >> 8) & 0xff, (di >> 16) & 0xff, di >>> 24), payload]) });

describe('one normal form for signed power across protocols (issue 21, item 8)', () => {
  it('IEC 16.7.0, SML 16.7.0 and DL/T 645 total power give the same import/export pair', async () => {
    const iec = await decode('iec62056-21', dataBlock('0.0.0(1)\r\n16.7.0(-1.250*kW)\r\n!\r\n'));
    const smlQ = await decode('sml', smlFile([[1, 0, 16, 7, 0, 255, 27, 0, -1250]]));
    const dl = await decode('dlt645', dlt(0x02030000, encodeBcd(-12500, 3, true))); // XX.XXXX kW
    for (const qs of [iec, smlQ, dl]) expect(pick(qs, ['1.7.0', '2.7.0', '16.7.0'])).toEqual([0, 1250, undefined]);
  });

  it('SML phase power 36.7.0 and DL/T 645 phase A power give the same 21.7.0/22.7.0 pair', async () => {
    const smlQ = await decode('sml', smlFile([[1, 0, 36, 7, 0, 255, 27, -1, -4321]]));
    const dl = await decode('dlt645', dlt(0x02030100, encodeBcd(-4321, 3, true))); // 0.4321 kW
    expect(pick(smlQ, ['21.7.0', '22.7.0', '36.7.0'])).toEqual([0, 432, undefined]);
    expect(pick(dl, ['21.7.0', '22.7.0', '36.7.0'])).toEqual([0, 432, undefined]);
  });

  it('a DL/T 645 signed current is a magnitude, as every other protocol sends it', async () => {
    const dl = await decode('dlt645', dlt(0x02020100, encodeBcd(-1234, 3, true))); // 1.234 A, exporting
    expect(pick(dl, ['31.7.0'])).toEqual([1234]);
  });
});

describe('OBIS names', () => {
  it('leave out only the default 1-0:, keep F unless 255', () => {
    expect(obisName(1, 0, 1, 8, 0)).toBe('1.8.0');
    expect(obisName(1, 0, 1, 8, 0, 255)).toBe('1.8.0');
    expect(obisName(1, 0, 1, 8, 0, 96)).toBe('1.8.0*96');
    expect(obisName(0, 0, 96, 14, 0)).toBe('0-0:96.14.0');
    expect(obisName(0, 1, 24, 2, 1)).toBe('0-1:24.2.1');
    expect(obisName(1, 1, 1, 8, 0, 3)).toBe('1-1:1.8.0*3');
  });
});
