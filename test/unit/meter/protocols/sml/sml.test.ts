import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { SmlDecoder } from '../../../../../main/meter/protocols/sml/sml-decoder.js';
import { encodeSmlValue, parseSmlValue, sml } from '../../../../../main/meter/protocols/sml/sml-tlv.js';
import { encodeSmlTransmission, scanSmlTransmission } from '../../../../../main/meter/protocols/sml/sml-transport.js';
import { quantity } from '../../../../../main/meter/reading.js';
import { ManualClock, SimulatedSmlMeter } from '../../../../../main/meter/sim/meters/index.js';
import { concat, decodeChunked, errors, hex, readings } from '../helpers.js';

const make = (l: DecodeListener) => new SmlDecoder(l);

// A real ISKRA MT175 transmission (quoted as "real_data" in the sml-rs test-suite), CRC D54B.
const ISKRA = hex(
  '1B1B1B1B010101017605006345516200620072630101760101050021171B0B0A0149534B00047A5544726201650021155A620163828E00760500634552620062007263070177010B0A0149534B00047A5544070100620AFFFF726201650021155A757707010060320101010101010449534B0177070100600100FF010101010B0A0149534B00047A55440177070100010800FF650010010401621E52FF65000C13610177070100020800FF0101621E52FF62000177070100100700FF0101621B5200530860010101638E71007605006345536200620072630201710163AD55001B1B1B1B1A00D54B',
);

describe('SML 1.04', () => {
  it('decodes a real ISKRA transmission: server id, 1.8.0 with scaler −1, signed power 16.7.0', async () => {
    const events = await decodeChunked(make, ISKRA, [10, 11, 100]);
    const r = readings(events)[0]!;
    expect(errors(events)).toHaveLength(0);
    expect(r.meterId).toBe('0A0149534B00047A5544');
    expect(quantity(r, '1.8.0')).toEqual({ obis: '1.8.0', value: 79_139, unit: 'Wh' }); // 0x0C1361 × 10⁻¹ Wh, rounded
    expect(quantity(r, '1.7.0')?.value).toBe(2144);
    expect(quantity(r, '2.7.0')?.value).toBe(0);
  });

  it('strips padding and undoes escaping (sml-rs transport examples with their CRCs)', () => {
    const padded = scanSmlTransmission(hex('1b1b1b1b 01010101 12345600 1b1b1b1b 1a0191a5'), 0, 20, 1000);
    expect(padded.kind === 'ok' && [...padded.payload]).toEqual([0x12, 0x34, 0x56]);
    const escaped = hex('1b1b1b1b 01010101 12 1b1b1b1b 1b1b1b1b 000000 1b1b1b1b 1a03be25');
    const r = scanSmlTransmission(escaped, 0, escaped.length, 1000);
    expect(r.kind === 'ok' && [...r.payload]).toEqual([0x12, 0x1b, 0x1b, 0x1b, 0x1b]);
    // and our encoder produces exactly these bytes
    expect(encodeSmlTransmission(hex('123456'))).toEqual(hex('1b1b1b1b 01010101 12345600 1b1b1b1b 1a0191a5'));
  });

  it('rejects a transmission whose CRC fails and decodes the next', async () => {
    const bad = ISKRA.slice();
    bad[60]! ^= 0x10;
    const events = await decodeChunked(make, concat([bad, ISKRA]));
    expect(errors(events).map((e) => e.code)).toEqual(['METER_CHECKSUM']);
    expect(readings(events)).toHaveLength(1);
  });

  it('round-trips TLV values, multi-byte lengths included', () => {
    const v = sml.list(sml.octets(new Uint8Array(20).fill(7)), sml.i8(-1), sml.u64(2n ** 40n), sml.absent, sml.list());
    const out: number[] = [];
    encodeSmlValue(v, out);
    const [back, end] = parseSmlValue(Uint8Array.from(out), 0, out.length);
    expect(end).toBe(out.length);
    expect(back).toEqual(v);
    expect(out.slice(1, 3)).toEqual([0x81, 0x06]); // 20 bytes + 2 TL bytes = 22 = 0x16
  });

  it('decodes the simulated eHZ meter, whose registers match its household', async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 2, 12, 0, 0));
    const meter = new SimulatedSmlMeter({ clock, seed: 4 });
    const r = readings(await decodeChunked(make, meter.file()))[0]!;
    const s = meter.household.at(clock.now());
    expect(r.meterId).toBe('0A01574154000123ABCD');
    expect(quantity(r, '1.8.0')?.value).toBe(s.import1Wh + s.import2Wh);
    expect(quantity(r, '2.7.0')?.value).toBe(s.exportW);
  });
});
