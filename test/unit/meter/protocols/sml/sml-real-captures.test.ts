import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc16Kermit } from '../../../../../main/meter/protocols/crc16.js';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { SmlDecoder } from '../../../../../main/meter/protocols/sml/sml-decoder.js';
import { sml, encodeSmlValue } from '../../../../../main/meter/protocols/sml/sml-tlv.js';
import { encodeSmlTransmission } from '../../../../../main/meter/protocols/sml/sml-transport.js';
import { quantity, type Reading } from '../../../../../main/meter/reading.js';
import { sampleFromReading } from '../../../../../main/history/sample.js';
import { decodeChunked, errors, hex, readings } from '../helpers.js';

const fixture = (name: string) => hex(readFileSync(new URL(`../../../../fixtures/protocols/${name}`, import.meta.url), 'utf8'));
const make = (l: DecodeListener) => new SmlDecoder(l);
const value = (r: Reading, obis: string) => quantity(r, obis)?.value;

/** The same transmission with its trailer checksummed CRC-16/KERMIT, high byte first (the Holley fault). */
function withKermitCrc(t: Uint8Array): Uint8Array {
  const out = t.slice();
  const crc = crc16Kermit(out, 0, out.length - 2);
  out[out.length - 2] = crc >> 8;
  out[out.length - 1] = crc & 0xff;
  return out;
}

describe('DZG DVS-74 power sign (issue 21, item 6; quirks table)', () => {
  it('reads the jmberg DVS-7412.2 capture (serial 42082910) as 356.24 W import, not 299.12 W export, and says so', async () => {
    const events = await decodeChunked(make, fixture('sml-dzg-dvs7412-jmberg.hex'));
    expect(errors(events)).toEqual([]);
    const [r] = readings(events);
    expect(r!.meterId).toBe('0A01445A47000282225E');
    expect(value(r!, '1.7.0')).toBe(356); // 0x8B28 read unsigned: 35624 × 10⁻² W
    expect(value(r!, '2.7.0')).toBe(0);
    expect(r!.quirks).toEqual(['dzg-dvs74-power-sign']);
    expect(value(r!, '1.8.0')).toBe(5_430_158); // 0x033C9389 × 10⁻¹ Wh
    expect(value(r!, '2.8.0')).toBe(26_244_573);
  });

  it('keeps a real negative power of a fixed DVS-7420 (serial 60694611, outside the ranges): export, no quirk', async () => {
    const [r] = readings(await decodeChunked(make, fixture('sml-dzg-dvs7420-mtr2-neg.hex')));
    expect(value(r!, '1.7.0')).toBe(0);
    expect(value(r!, '2.7.0')).toBe(106); // 0xD6CA = −10550 × 10⁻² W, a generator exporting
    expect(r!.quirks).toBeUndefined();
  });
});

describe('Holley DTZ541 KERMIT CRC (issue 21, item 6; quirks table)', () => {
  it('reads the real DTZ541-BDBA transmission (X.25 CRC) with no quirk', async () => {
    const [r] = readings(await decodeChunked(make, fixture('sml-holley-dtz541-bdba.hex')));
    expect(r!.meterId).toBe('0A01484C5902000D6BE6');
    expect(value(r!, '1.8.0')).toBe(2_324_000); // 0x0914 × 10³ Wh
    expect(r!.quirks).toBeUndefined();
  });

  it('accepts the same transmission checksummed with KERMIT from a Holley meter, naming the quirk', async () => {
    const events = await decodeChunked(make, withKermitCrc(fixture('sml-holley-dtz541-bdba.hex')));
    expect(errors(events)).toEqual([]);
    const [r] = readings(events);
    expect(value(r!, '1.8.0')).toBe(2_324_000);
    expect(r!.quirks).toEqual(['holley-dtz541-kermit-crc']);
  });

  it('refuses a KERMIT checksum from any other meter (the DZG capture): METER_CHECKSUM, no reading', async () => {
    const events = await decodeChunked(make, withKermitCrc(fixture('sml-dzg-dvs7412-jmberg.hex')));
    expect(readings(events)).toEqual([]);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_CHECKSUM']);
  });

  it('reads the real DTZ541-ZDBA transmission: bare-u32 capture times, tariff registers, units it has no name for counted', async () => {
    const [r] = readings(await decodeChunked(make, fixture('sml-holley-dtz541-zdba.hex')));
    expect(r!.meterId).toBe('0A01484C59020003A910');
    expect(value(r!, '1.8.1')).toBe(0);
    expect(value(r!, '1.8.2')).toBe(177_360); // 0x1B1021 × 10⁻¹ Wh
    expect(value(r!, '2.8.0')).toBe(314_926);
    expect(value(r!, '1.7.0')).toBe(460); // 16.7.0 = +460 W
    expect(value(r!, '2.7.0')).toBe(0);
    expect(value(r!, '32.7.0')).toBe(232_300);
    expect(value(r!, '31.7.0')).toBe(1060);
    expect(value(r!, '14.7.0')).toBe(50_000);
    expect(r!.unread).toBe(5); // the five phase angles 81.7.x (unit: degree)
    // F groups other than 255 keep their names (the firmware version is 1-0:0.2.0*0).
    expect(r!.raw).toContain('0.2.0*0=312E30322E303037');
  });
});

describe('SML register history: F ≠ 255 is its own quantity (issue 21, item 5)', () => {
  it('keeps 1-0:1.8.0*1 apart from the current 1.8.0, and history takes only the current register', async () => {
    const o = (...b: number[]) => sml.octets(Uint8Array.from(b));
    const entry = (name: number[], unit: number, scaler: number, v: bigint) =>
      sml.list(o(...name), sml.absent, sml.absent, sml.u8(unit), sml.i8(scaler), sml.u64(v), sml.absent);
    const body = sml.list(
      sml.u32(0x0701),
      sml.list(
        sml.absent,
        o(0x0a, 0x01, 0x57, 0x41, 0x54, 0x00, 0x01, 0x23, 0xab, 0xcd),
        sml.absent,
        sml.absent,
        sml.list(entry([1, 0, 1, 8, 0, 255], 30, -1, 123_456_7n), entry([1, 0, 1, 8, 0, 1], 30, -1, 111_111_1n), entry([1, 0, 1, 8, 0, 96], 30, -1, 100_000_0n)),
        sml.absent,
        sml.absent,
      ),
    );
    const out: number[] = [];
    encodeSmlValue(sml.list(o(1), sml.u8(0), sml.u8(0), body, sml.u16(0), sml.end), out);
    const [r] = readings(await decodeChunked(make, encodeSmlTransmission(Uint8Array.from(out))));
    expect(r!.quantities.map((q) => [q.obis, q.value])).toEqual([
      ['1.8.0', 123_457],
      ['1.8.0*1', 111_111],
      ['1.8.0*96', 100_000],
    ]);
    expect(sampleFromReading(r!)?.importWh).toBe(123_457);
  });
});
