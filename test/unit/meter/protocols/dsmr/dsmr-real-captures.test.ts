import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc16Arc } from '../../../../../main/meter/protocols/crc16.js';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { DsmrDecoder } from '../../../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { quantity, type Reading } from '../../../../../main/meter/reading.js';
import { concat, decodeChunked, enc, errors, readings } from '../helpers.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../../fixtures/protocols/${name}`, import.meta.url)));
const make = (l: DecodeListener) => new DsmrDecoder(l);
const value = (r: Reading, obis: string) => quantity(r, obis)?.value;

describe('DSMR-style telegrams whose codes carry the F group *255 (issue 21, item 1)', () => {
  it('reads the EasyMeter Q3D telegram of dsmr_parser: every *255 line becomes its current quantity', async () => {
    const events = await decodeChunked(make, fixture('dsmr-esy-q3d.txt'));
    const [r] = readings(events);
    expect(r!.meterId).toBe('1ESY1336001560'); // 0-0:96.1.255*255, the device id
    expect(value(r!, '1.8.0')).toBe(32_549_506); // 32549.5061662 kWh
    expect(value(r!, '21.7.0')).toBe(557);
    expect(value(r!, '41.7.0')).toBe(522);
    expect(value(r!, '61.7.0')).toBe(609);
    expect(value(r!, '1.7.0')).toBe(1688);
    expect(value(r!, '96.5.5')).toBe(80);
    expect(r!.quantities.some((q) => q.obis.includes('*'))).toBe(false); // *255 is the current value
    // The two lines the COM-1 gateway appends after '!' are reported, not silently skipped.
    expect(errors(events).map((e) => [e.code, e.detail])).toEqual([['METER_FRAMING', 'bytes outside a telegram']]);
  });

  it('reads the eBZ DD3 telegram: signed 16.7.0 / 36.7.0 … split into import and export, device id as meter id', async () => {
    const events = await decodeChunked(make, fixture('dsmr-ebz-dd3.txt'));
    const [r] = readings(events);
    expect(errors(events)).toEqual([]);
    expect(r!.meterId).toBe('1EBZ0100507409');
    expect(value(r!, '1.8.0')).toBe(125_257); // 125.25688570 kWh
    expect(value(r!, '1.7.0')).toBe(259); // 16.7.0 (259.20 W): import 259 W …
    expect(value(r!, '2.7.0')).toBe(0); // … export 0
    expect(value(r!, '21.7.0')).toBe(75);
    expect(value(r!, '41.7.0')).toBe(92);
    expect(value(r!, '61.7.0')).toBe(92);
    expect(value(r!, '32.7.0')).toBe(232_400);
    expect(value(r!, '16.7.0')).toBeUndefined();
    // The status word is hex, not a number: kept and counted, not dropped.
    expect(r!.raw).toEqual(['1-0:96.5.0*255(001C0104)']);
    expect(r!.unread).toBe(1);
  });
});

describe('values whose unit has no "*" (issue 21, item 2)', () => {
  it('reads the Fluvius line "1-0:1.8.1(000439.094kWh)" and names the quirk on the reading', async () => {
    const events = await decodeChunked(make, fixture('dsmr-fluvius-unit-without-star.txt'));
    const [r] = readings(events);
    expect(errors(events)).toEqual([]);
    expect(quantity(r!, '1.8.1')).toEqual({ obis: '1.8.1', value: 439_094, unit: 'Wh' });
    expect(r!.quirks).toEqual(['dsmr-unit-without-star']);
    expect(r!.unread).toBeUndefined();
  });
});

describe('a CRC written without its leading zeros (issue 21, item 3)', () => {
  it('accepts "!C42" for 0C42 when it checks, naming the quirk, and refuses it when it does not', async () => {
    const good = fixture('dsmr-crc-unpadded.txt');
    const bang = good.lastIndexOf(0x21);
    expect(crc16Arc(good, 0, bang + 1)).toBe(0x0c42);
    expect(new TextDecoder().decode(good.subarray(bang))).toBe('!C42\r\n');
    const [r] = readings(await decodeChunked(make, good));
    expect(r!.quirks).toEqual(['dsmr-crc-unpadded']);
    expect(value(r!, '1.8.0')).toBeGreaterThan(0);
    const bad = concat([good.subarray(0, bang), enc('!C43\r\n')]);
    const events = await decodeChunked(make, bad);
    expect(readings(events)).toEqual([]);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_CHECKSUM']);
  });

  it('gives the same reading whichever way the unpadded CRC arrives, one byte at a time included', async () => {
    const good = fixture('dsmr-crc-unpadded.txt');
    const whole = readings(await decodeChunked(make, concat([good, good])));
    const cuts = Array.from({ length: good.length * 2 }, (_, i) => i);
    expect(readings(await decodeChunked(make, concat([good, good]), cuts))).toEqual(whole);
    expect(whole).toHaveLength(2);
  });
});

describe('quirks through the shape fast path', () => {
  it('names a quirk of the lines on every telegram of that shape, a quirk of the framing only on its own telegram', async () => {
    const flu = fixture('dsmr-fluvius-unit-without-star.txt');
    const twice = readings(await decodeChunked(make, concat([flu, flu, flu])));
    expect(twice.map((r) => r.quirks)).toEqual([['dsmr-unit-without-star'], ['dsmr-unit-without-star'], ['dsmr-unit-without-star']]);
    const unpadded = fixture('dsmr-crc-unpadded.txt');
    const bang = unpadded.lastIndexOf(0x21);
    const padded = concat([unpadded.subarray(0, bang), enc('!0C42\r\n')]);
    const got = readings(await decodeChunked(make, concat([unpadded, padded, padded, unpadded])));
    expect(got.map((r) => r.quirks)).toEqual([['dsmr-crc-unpadded'], undefined, undefined, ['dsmr-crc-unpadded']]);
  });
});

describe('a torn telegram followed by a CRC-less one (issue 21, item 7)', () => {
  it('reports the torn DSMR 2.2 telegram and reads the next one alone, with no value of the first', async () => {
    const v22 = fixture('dsmr-v2_2.txt');
    const torn = v22.subarray(0, 120); // cut inside "1-0:2.8.2(…": unplugged mid-telegram
    const events = await decodeChunked(make, concat([torn, v22]));
    expect(errors(events).map((e) => [e.code, e.offset, e.length, e.detail])).toEqual([['METER_FRAMING', 0, 120, 'telegram interrupted']]);
    const got = readings(events);
    expect(got).toHaveLength(1);
    const alone = readings(await decodeChunked(make, v22))[0]!;
    expect(got[0]).toEqual(alone);
    const names = got[0]!.quantities.map((q) => q.obis);
    expect(new Set(names).size).toBe(names.length); // no duplicated codes
  });
});

describe('a frame cut by the end of the stream (issue 21, item 8)', () => {
  it('is METER_TRUNCATED with the offset of its start', async () => {
    const v5 = fixture('dsmr-v5.txt');
    const v4 = fixture('dsmr-v4_2.txt');
    const events = await decodeChunked(make, concat([v4, v5.subarray(0, 400)]), [10, 500]);
    expect(readings(events)).toHaveLength(1);
    expect(errors(events).map((e) => [e.code, e.offset, e.length])).toEqual([['METER_TRUNCATED', v4.length, 400]]);
  });

  it('is reported on end() also for a stream that stops in a line end after a whole telegram: nothing', async () => {
    const v5 = fixture('dsmr-v5.txt');
    const events = await decodeChunked(make, concat([v5, enc('\r\n\r\n')]));
    expect(errors(events)).toEqual([]);
  });
});

describe('a reading with no quantities from a telegram with data lines (issue 21, "nothing dropped silently")', () => {
  it('is followed by a METER_NO_QUANTITIES warning naming the meter', async () => {
    const body = enc('/XYZ5 ident\r\n\r\n0-0:96.1.1(4530303235303030313233343536373839)\r\n1-0:1.8.1(not a number*kWh)\r\n1-0:2.8.1(12.5*furlong)\r\n!');
    const telegram = concat([body, enc(`${crc16Arc(body).toString(16).toUpperCase().padStart(4, '0')}\r\n`)]);
    const events = await decodeChunked(make, telegram);
    expect(events.map((e) => e.kind)).toEqual(['reading', 'warning']);
    const w = events[1]!;
    expect(w.kind === 'warning' && [w.code, w.meterId, w.offset, w.length]).toEqual(['METER_NO_QUANTITIES', 'E0025000123456789', 0, telegram.length - 2]); // the frame ends at its CRC
    expect(readings(events)[0]!.unread).toBe(2);
  });
});
