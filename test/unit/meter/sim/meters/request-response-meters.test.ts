import { describe, expect, it } from 'vitest';
import { Dlt645Decoder } from '../../../../../main/meter/protocols/dlt645/dlt645-decoder.js';
import { dltReadAddressRequest, dltReadRequest } from '../../../../../main/meter/protocols/dlt645/dlt645-frame.js';
import { command, dataBlock, optionSelect, signOn } from '../../../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { Iec62056Decoder } from '../../../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import { ModbusDecoder } from '../../../../../main/meter/protocols/modbus/modbus-decoder.js';
import { readInputRequest } from '../../../../../main/meter/protocols/modbus/modbus-rtu.js';
import type { DecodeEvent } from '../../../../../main/meter/protocols/decoder.js';
import { quantity } from '../../../../../main/meter/reading.js';
import { LINE_8N1_115200 } from '../../../../../main/meter/serial/line-settings.js';
import {
  DLT645_LINE,
  IEC_SIGN_ON_LINE,
  ManualClock,
  MODBUS_LINE,
  SimulatedDlt645Meter,
  SimulatedIec62056Meter,
  SimulatedModbusMeter,
} from '../../../../../main/meter/sim/meters/index.js';
import { WireCapture } from './wire-capture.js';

const T0 = Date.UTC(2026, 10, 25, 4, 0, 0); // 12:00 in Beijing, 05:00 in Berlin

function decodeAll(d: { push(b: Uint8Array, t: number): void }, bytes: Uint8Array): void {
  d.push(bytes, T0);
}

describe('the simulated DL/T 645 meter', () => {
  function setup() {
    const clock = new ManualClock(T0);
    const meter = new SimulatedDlt645Meter({ clock, address: '000012345678' });
    const wire = new WireCapture();
    meter.attach(wire);
    const events: DecodeEvent[] = [];
    return { clock, meter, wire, events, decode: () => decodeAll(new Dlt645Decoder((e) => events.push(e)), wire.bytes()) };
  }

  it('answers the broadcast read-address and reads by data identifier after its reply delay', () => {
    const { clock, meter, wire, events, decode } = setup();
    meter.toMeter(dltReadAddressRequest(), DLT645_LINE);
    meter.toMeter(dltReadRequest('000012345678', 0x0002ff00), DLT645_LINE);
    expect(wire.chunks).toHaveLength(0);
    clock.advance(100);
    decode();
    expect(events[0]).toMatchObject({ kind: 'frame', what: 'dlt645.address', facts: { address: '000012345678' } });
    const r = events[1]!.kind === 'reading' ? events[1]!.reading : null;
    const s = meter.household.at(T0);
    expect(quantity(r!, '2.8.0')!.value).toBe(Math.floor((s.export1Wh + s.export2Wh) / 10) * 10);
  });

  it('refuses an unknown identifier with ERR "no data requested", ignores other addresses and wrong line settings', () => {
    const { clock, meter, events, decode } = setup();
    meter.toMeter(dltReadRequest('000012345678', 0x0123abcd), DLT645_LINE);
    meter.toMeter(dltReadRequest('000000000001', 0x00010000), DLT645_LINE);
    meter.toMeter(dltReadRequest('000012345678', 0x00010000), { ...DLT645_LINE, parity: 'none' });
    clock.advance(100);
    decode();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'error', code: 'METER_DLT645_EXCEPTION' });
    expect(events[0]!.kind === 'error' && events[0]!.detail).toContain('ERR 0x02');
  });

  it('tells the time in China Standard Time from its own clock', () => {
    const { clock, meter, events, decode } = setup();
    meter.toMeter(dltReadRequest('000012345678', 0x04000101), DLT645_LINE);
    meter.toMeter(dltReadRequest('000012345678', 0x04000102), DLT645_LINE);
    clock.advance(100);
    decode();
    expect(events.map((e) => (e.kind === 'frame' ? e.facts.date ?? e.facts.time : null))).toEqual(['2026-11-25', '12:00:00']);
  });
});

describe('the simulated Eastron SDM meter (Modbus RTU)', () => {
  it('reads documented input registers and answers exceptions 02 and 01 like the meter', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedModbusMeter({ clock, model: 'sdm630' });
    const wire = new WireCapture();
    meter.attach(wire);
    meter.toMeter(readInputRequest(1, 0x0048, 4), MODBUS_LINE);
    meter.toMeter(readInputRequest(1, 0x0200, 2), MODBUS_LINE); // undocumented → 02
    const fc3 = readInputRequest(1, 0, 2);
    fc3[1] = 0x03;
    // recompute the CRC for function 03 so only the function is "wrong"
    const crc = (() => {
      let c = 0xffff;
      for (const b of fc3.subarray(0, 6)) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
      }
      return c;
    })();
    fc3[6] = crc & 0xff;
    fc3[7] = crc >> 8;
    meter.toMeter(fc3, MODBUS_LINE);
    meter.toMeter(readInputRequest(2, 0x0048, 2), MODBUS_LINE); // another slave: silence
    meter.toMeter(readInputRequest(1, 0x0048, 2), LINE_8N1_115200); // wrong speed: not understood
    clock.advance(100);
    const events: DecodeEvent[] = [];
    const d = new ModbusDecoder((e) => events.push(e));
    d.expect(0x0048);
    d.push(wire.bytes(), T0);
    expect(events.map((e) => (e.kind === 'error' ? e.detail : e.kind))).toEqual([
      'reading',
      'slave 1 exception 2 (illegal data address)',
      'slave 1 exception 1 (illegal function)',
    ]);
    const s = meter.household.at(T0);
    const r = events[0]!.kind === 'reading' ? events[0]!.reading : null;
    expect(Math.abs(quantity(r!, '1.8.0')!.value - (s.import1Wh + s.import2Wh))).toBeLessThanOrEqual(1); // float32 rounding
  });
});

describe('the simulated IEC 62056-21 meter', () => {
  it('identifies at 300 baud, switches to the offered speed for the readout, then falls back', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedIec62056Meter({ clock, serial: '55512345' });
    const wire = new WireCapture();
    meter.attach(wire);
    meter.toMeter(signOn(), IEC_SIGN_ON_LINE);
    clock.advance(250);
    expect(new TextDecoder().decode(wire.bytes())).toBe('/WAT5WATTLET-SIM\\55512345\r\n');
    expect(wire.chunks[0]!.sentWith.baudRate).toBe(300);
    wire.clear();
    meter.toMeter(optionSelect('5'), IEC_SIGN_ON_LINE);
    clock.advance(400);
    expect(wire.chunks[0]!.sentWith.baudRate).toBe(9600);
    const events: DecodeEvent[] = [];
    new Iec62056Decoder((e) => events.push(e)).push(wire.bytes(), T0);
    const r = events[0]!.kind === 'reading' ? events[0]!.reading : null;
    expect(r!.meterId).toBe('55512345');
    expect(r!.meterTime).toBe(T0);
    clock.advance(100);
    expect(meter.settings.baudRate).toBe(300);
  });

  it('gives the P.01 load profile in programming mode and "(ERROR)" for unknown identifiers', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedIec62056Meter({ clock });
    const wire = new WireCapture();
    meter.attach(wire);
    meter.toMeter(signOn(), IEC_SIGN_ON_LINE);
    clock.advance(250);
    meter.toMeter(optionSelect('5', '1'), IEC_SIGN_ON_LINE);
    clock.advance(400);
    const fast = { ...IEC_SIGN_ON_LINE, baudRate: 9600 };
    wire.clear();
    meter.toMeter(command('R', '5', 'P.01(2611250000;2611250500)'), fast);
    meter.toMeter(command('R', '5', '9.9.9()'), fast);
    const events: DecodeEvent[] = [];
    new Iec62056Decoder((e) => events.push(e)).push(wire.bytes(), T0);
    const profile = events[0]!.kind === 'reading' ? events[0]!.reading : null;
    expect(profile!.quantities.filter((q) => q.obis === '1.5.0')).toHaveLength(8);
    expect(profile!.quantities.every((q) => q.capturedAt! <= T0)).toBe(true);
    expect(events[1]!.kind === 'reading' && events[1]!.reading.raw).toEqual(['(ERROR)']);
    void dataBlock;
  });

  it('ignores a sign-on sent at the wrong speed', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedIec62056Meter({ clock });
    const wire = new WireCapture();
    meter.attach(wire);
    meter.toMeter(signOn(), { ...IEC_SIGN_ON_LINE, baudRate: 9600 });
    clock.advance(1000);
    expect(wire.chunks).toHaveLength(0);
  });
});
