import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { Iec62056Decoder } from '../../../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import { dataBlock } from '../../../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { sampleFromReading } from '../../../../../main/history/sample.js';
import { quantity, type Reading } from '../../../../../main/meter/reading.js';
import { decodeChunked, errors, readings } from '../helpers.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../../fixtures/protocols/${name}`, import.meta.url)));
const make = (l: DecodeListener) => new Iec62056Decoder(l);
const value = (r: Reading, obis: string) => quantity(r, obis)?.value;

describe('IEC 62056-21 heat meter readout, several data sets per line (issue 21, items 4 and 5)', () => {
  it('reads every data set of the smartmeter-obis heat meter capture, history apart from current', async () => {
    const events = await decodeChunked(make, fixture('iec-heat-meter-sie.bin'), [5, 40, 300]);
    expect(events.map((e) => (e.kind === 'frame' ? e.what : e.kind))).toEqual(['iec.identification', 'reading']);
    const [r] = readings(events);
    expect(r!.meterId).toBe('00010213'); // 0.0, the meter's number
    // smartmeter-obis's own assertions: 6-0:9.20 = 64030874, 6-0:6.8 = 29.055 MWh.
    expect(value(r!, '9.20.0')).toBe(64_030_874);
    expect(value(r!, '6.8.0')).toBe(29_055_000); // Wh
    expect(value(r!, '6.8.0*1')).toBe(28_086_000); // the previous billing period, "6.8*01"
    expect(value(r!, '6.26.0')).toBe(1_589_280); // dm³
    expect(value(r!, '6.26.0*1')).toBe(1_563_920);
    expect(value(r!, '6.6.0')).toBe(17_200); // W
    expect(value(r!, '6.36.0*2')).toBe(1);
    const names = r!.quantities.map((q) => q.obis);
    expect(names).toHaveLength(11);
    expect(new Set(names).size).toBe(11);
    // Dates, "088*C&082*C", units such as h, m3ph: 25 data sets kept and counted; 13 empty "()"
    // carry nothing. With the meter id that is smartmeter-obis's 50 data sets.
    expect(r!.unread).toBe(25);
    expect(r!.raw).toHaveLength(25);
    expect(r!.raw).toContain('9.4(088*C&082*C)');
    expect(errors(events)).toEqual([]);
  });
});

describe('IEC register history: billing-period values are their own quantities (issue 21, item 5)', () => {
  // Built from IEC 62056-21 §6.5 and 62056-61 (F = the billing period): the current register and
  // its values of the last periods, as ZMD/ZMF readouts list them.
  it('keeps 1.8.0*96 … *100 apart from 1.8.0, and history takes only the current register', async () => {
    const body = ['0.0.0(71234567)', '1.8.0(001234.567*kWh)', '1.8.0*96(001200.000*kWh)', '1.8.0*97(001100.000*kWh)', '1.8.0*98(001000.000*kWh)', '1.8.0*99(000900.000*kWh)', '1.8.0*100(000800.000*kWh)', '!'].join('\r\n');
    const [r] = readings(await decodeChunked(make, dataBlock(`${body}\r\n`)));
    expect(r!.quantities.map((q) => [q.obis, q.value])).toEqual([
      ['1.8.0', 1_234_567],
      ['1.8.0*96', 1_200_000],
      ['1.8.0*97', 1_100_000],
      ['1.8.0*98', 1_000_000],
      ['1.8.0*99', 900_000],
      ['1.8.0*100', 800_000],
    ]);
    expect(sampleFromReading(r!)?.importWh).toBe(1_234_567);
  });
});

describe('IEC 62056-21 and the normal form (issue 21, item 8)', () => {
  it('names "32.7" 32.7.0 and splits a signed 16.7.0 into import and export', async () => {
    const [r] = readings(await decodeChunked(make, dataBlock('0.0.0(1)\r\n32.7(231.4*V)\r\n16.7.0(-001.250*kW)\r\n!\r\n')));
    expect(r!.quantities).toEqual([
      { obis: '32.7.0', value: 231_400, unit: 'mV' },
      { obis: '1.7.0', value: 0, unit: 'W' },
      { obis: '2.7.0', value: 1250, unit: 'W' },
    ]);
  });

  it('reports a readout cut by the end of the capture as METER_TRUNCATED at its STX', async () => {
    const block = fixture('iec-heat-meter-sie.bin');
    const events = await decodeChunked(make, block.subarray(0, 200));
    expect(errors(events).map((e) => [e.code, e.offset, e.length])).toEqual([['METER_TRUNCATED', 11, 189]]);
  });
});
