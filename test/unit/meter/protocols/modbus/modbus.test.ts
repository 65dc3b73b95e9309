import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { ModbusDecoder } from '../../../../../main/meter/protocols/modbus/modbus-decoder.js';
import { exceptionResponse, readInputRequest, readInputResponse } from '../../../../../main/meter/protocols/modbus/modbus-rtu.js';
import { float32Registers } from '../../../../../main/meter/protocols/modbus/sdm-registers.js';
import { concat, decodeChunked, errors, hex, readings } from '../helpers.js';

const make = (l: DecodeListener) => new ModbusDecoder(l);

describe('Modbus RTU for Eastron SDM meters', () => {
  it('builds "read input registers" with the CRC low byte first (01 04 0000 0002 71CB)', () => {
    expect(readInputRequest(1, 0, 2)).toEqual(hex('01 04 0000 0002 71 CB'));
  });

  it('maps a response to the registers its request asked for (float32, big-endian)', async () => {
    const capture = concat([
      readInputRequest(1, 0x0046, 6),
      readInputResponse(1, float32Registers([50.02, 1234.5678, 9.87])),
    ]);
    const events = await decodeChunked(make, capture, [3, 9, 12]);
    expect(events[0]!.kind === 'frame' && events[0]!.what).toBe('modbus.request');
    expect(readings(events)[0]!.quantities).toEqual([
      { obis: '14.7.0', value: 50_020, unit: 'mHz' },
      { obis: '1.8.0', value: 1_234_568, unit: 'Wh' },
      { obis: '2.8.0', value: 9870, unit: 'Wh' },
    ]);
  });

  it('splits signed active power into import and export', async () => {
    const d: ReturnType<typeof make>[] = [];
    const events = await decodeChunked((l) => {
      const x = make(l);
      x.expect(0x000c);
      d.push(x);
      return x;
    }, readInputResponse(1, float32Registers([-812.4])));
    expect(readings(events)[0]!.quantities).toEqual([
      { obis: '1.7.0', value: 0, unit: 'W' },
      { obis: '2.7.0', value: 812, unit: 'W' },
    ]);
  });

  it('reports exception replies (function | 0x80) with their code', async () => {
    const events = await decodeChunked(make, concat([readInputRequest(1, 0x0100, 2), exceptionResponse(1, 4, 2)]));
    expect(errors(events).map((e) => [e.code, e.detail])).toEqual([['METER_MODBUS_EXCEPTION', 'slave 1 exception 2 (illegal data address)']]);
  });

  it('never accepts a frame whose CRC fails', async () => {
    const resp = readInputResponse(1, float32Registers([230.1]));
    resp[4]! ^= 0x40;
    const events = await decodeChunked((l) => {
      const x = make(l);
      x.expect(0);
      return x;
    }, concat([resp, exceptionResponse(1, 4, 4)]));
    expect(readings(events)).toHaveLength(0);
    // RTU has no delimiter: the damaged bytes are counted once the next valid frame shows where they end.
    expect(errors(events).map((e) => e.code)).toEqual(['METER_CHECKSUM', 'METER_MODBUS_EXCEPTION']);
  });
});
