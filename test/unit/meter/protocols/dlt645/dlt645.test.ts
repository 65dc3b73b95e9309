import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { encodeBcd } from '../../../../../main/meter/protocols/dlt645/dlt645-data.js';
import { Dlt645Decoder } from '../../../../../main/meter/protocols/dlt645/dlt645-decoder.js';
import {
  dltReadAddressRequest,
  dltReadRequest,
  encodeDltFrame,
  parseDltFrame,
  probeDltFrame,
} from '../../../../../main/meter/protocols/dlt645/dlt645-frame.js';
import { concat, decodeChunked, errors, hex, readings } from '../helpers.js';

const make = (l: DecodeListener) => new Dlt645Decoder(l);
const ADDR = '000012345678';

function reply(di: number, payload: Uint8Array, control = 0x91): Uint8Array {
  const data = new Uint8Array(4 + payload.length);
  data.set([di & 0xff, (di >> 8) & 0xff, (di >> 16) & 0xff, di >>> 24]);
  data.set(payload, 4);
  return encodeDltFrame({ address: ADDR, control, data });
}

describe('DL/T 645-2007 frames', () => {
  it('builds the broadcast read-address request of the standard: FE×4 68 AA×6 68 13 00 DF 16', () => {
    expect(dltReadAddressRequest()).toEqual(hex('FEFEFEFE 68 AAAAAAAAAAAA 68 13 00 DF 16'));
  });

  it('sends the data identifier low byte first with +0x33 (00010000 → 33 33 34 33)', () => {
    const f = dltReadRequest(ADDR, 0x00010000);
    expect(f.subarray(4, 18)).toEqual(hex('68 78 56 34 12 00 00 68 11 04 33 33 34 33'));
    const cs = f.subarray(4, 18).reduce((a, b) => a + b, 0) & 0xff;
    expect(f[18]).toBe(cs);
    expect(f[19]).toBe(0x16);
    expect(parseDltFrame(f, 4).address).toBe(ADDR);
  });

  it('decodes forward active energy total and tariffs (0001FF00) from BCD XXXXXX.XX kWh to Wh', async () => {
    const payload = concat([12345678, 100, 200, 12345378, 0].map((v) => encodeBcd(v, 4)));
    const [r] = readings(await decodeChunked(make, reply(0x0001ff00, payload)));
    expect(r!.meterId).toBe(ADDR);
    expect(r!.quantities.map((q) => [q.obis, q.value, q.unit])).toEqual([
      ['1.8.0', 123_456_780, 'Wh'],
      ['1.8.1', 1000, 'Wh'],
      ['1.8.2', 2000, 'Wh'],
      ['1.8.3', 123_453_780, 'Wh'],
      ['1.8.4', 0, 'Wh'],
    ]);
  });

  it('splits signed instantaneous power (XX.XXXX kW, sign in bit 7) into import and export', async () => {
    const exporting = readings(await decodeChunked(make, reply(0x02030000, encodeBcd(-15000, 3, true))))[0]!; // −1.5 kW
    expect(exporting.quantities).toEqual([
      { obis: '1.7.0', value: 0, unit: 'W' },
      { obis: '2.7.0', value: 1500, unit: 'W' },
    ]);
    const volts = readings(await decodeChunked(make, reply(0x02010100, encodeBcd(2301, 2))))[0]!;
    expect(volts.quantities).toEqual([{ obis: '32.7.0', value: 230_100, unit: 'mV' }]);
  });

  it('turns an abnormal reply (C = D1) into METER_DLT645_EXCEPTION with the error bits', async () => {
    const events = await decodeChunked(make, encodeDltFrame({ address: ADDR, control: 0xd1, data: Uint8Array.of(0x02) }));
    expect(errors(events)).toHaveLength(1);
    expect(errors(events)[0]!.code).toBe('METER_DLT645_EXCEPTION');
    expect(errors(events)[0]!.detail).toContain('no data requested');
  });

  it('reports date and time replies and follow-up frames as facts', async () => {
    const date = reply(0x04000101, Uint8Array.of(0x03, 0x25, 0x11, 0x26)); // Wed 2026-11-25
    const time = reply(0x04000102, Uint8Array.of(0x59, 0x30, 0x17)); // 17:30:59
    const events = await decodeChunked(make, concat([date, time]));
    expect(events.map((e) => (e.kind === 'frame' ? e.facts.date ?? e.facts.time : null))).toEqual(['2026-11-25', '17:30:59']);
    const follow = reply(0x0001ff00, concat([...[1, 2, 3, 4, 5].map((v) => encodeBcd(v, 4)), Uint8Array.of(0x01)]), 0x92);
    expect(readings(await decodeChunked(make, follow))[0]!.quantities).toHaveLength(5);
  });

  it('counts a checksum failure and resynchronises on the next frame', async () => {
    const bad = reply(0x00010000, encodeBcd(500, 4));
    bad[bad.length - 2]! ^= 0x01;
    const good = reply(0x00010000, encodeBcd(700, 4));
    const events = await decodeChunked(make, concat([bad, good]), [3, 17]);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_CHECKSUM']);
    expect(readings(events).map((r) => r.quantities[0]!.value)).toEqual([7000]);
  });

  it('classifies frame starts: need more, not a frame, bad checksum', () => {
    const f = reply(0x00010000, encodeBcd(1, 4)).subarray(4);
    expect(probeDltFrame(f, 0, 5)).toBe(0);
    expect(probeDltFrame(f, 1, f.length)).toBe(-1);
    const broken = f.slice();
    broken[12]! ^= 0xff;
    expect(probeDltFrame(broken, 0, broken.length)).toBe(-2);
    expect(probeDltFrame(f, 0, f.length)).toBe(f.length);
  });
});
