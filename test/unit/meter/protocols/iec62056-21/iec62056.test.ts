import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { Iec62056Decoder } from '../../../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import {
  bcc,
  dataBlock,
  identification,
  optionSelect,
  parseIdentification,
  signOn,
} from '../../../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { quantity } from '../../../../../main/meter/reading.js';
import { concat, decodeChunked, enc, errors, readings } from '../helpers.js';

const make = (l: DecodeListener) => new Iec62056Decoder(l);

describe('IEC 62056-21 mode C', () => {
  it('writes the sign-on and option-select messages byte for byte (§6.3.1, §6.3.3)', () => {
    expect(signOn()).toEqual(enc('/?!\r\n'));
    expect(signOn('12345678')).toEqual(enc('/?12345678!\r\n'));
    expect(optionSelect('5')).toEqual(Uint8Array.of(0x06, 0x30, 0x35, 0x30, 0x0d, 0x0a));
    expect(optionSelect('5', '1')).toEqual(enc('\x06051\r\n'));
  });

  it('reads manufacturer, baud character and identification from the identification message', () => {
    expect(parseIdentification('/LGZ5ZMD3104407.B32')).toEqual({ manufacturer: 'LGZ', baudChar: '5', baud: 9600, ident: 'ZMD3104407.B32' });
    expect(parseIdentification('/?!')).toBeNull();
    expect(parseIdentification('/12')).toBeNull();
  });

  it('checks the BCC: XOR of everything after STX through ETX', () => {
    const block = dataBlock('1.8.0(001234.567*kWh)\r\n!\r\n');
    let x = 0;
    for (const b of block.subarray(1, block.length - 1)) x ^= b;
    expect(block[block.length - 1]).toBe(x);
  });

  it('decodes a whole readout exchange: sign-on, identification, option, data block', async () => {
    const capture = concat([
      signOn(),
      identification({ manufacturer: 'LGZ', baudChar: '5', baud: 9600, ident: 'ZMD310' }),
      optionSelect('5'),
      dataBlock('0.0.0(71234567)\r\n0.9.1(143000)\r\n0.9.2(260115)\r\n1.8.0(001234.567*kWh)\r\n2.8.0(000010.001*kWh)\r\n32.7.0(231.4*V)\r\nF.F(00000000)\r\n!\r\n'),
    ]);
    const events = await decodeChunked(make, capture, [2, 9, 30, 31, 60]);
    expect(events.map((e) => (e.kind === 'frame' ? e.what : e.kind))).toEqual(['iec.signon', 'iec.identification', 'iec.option', 'reading']);
    const r = readings(events)[0]!;
    expect(r.meterId).toBe('71234567');
    expect(r.meterTime).toBe(Date.UTC(2026, 0, 15, 13, 30, 0)); // CET in January
    expect(quantity(r, '1.8.0')?.value).toBe(1_234_567);
    expect(quantity(r, '32.7.0')).toEqual({ obis: '32.7.0', value: 231_400, unit: 'mV' });
    expect(quantity(r, '97.97.0')).toEqual({ obis: '97.97.0', value: 0, unit: 'count' }); // F.F, the error register (F = 97): no errors
  });

  it('decodes a P.01 load profile into interval values with their capture times', async () => {
    const body = 'P.01(12601151200)(00)(15)(2)(1.5.0)(kW)(2.5.0)(kW)\r\n(0.412)(0.000)\r\n(0.000)(1.250)\r\n';
    const r = readings(await decodeChunked(make, dataBlock(body)))[0]!;
    const t0 = Date.UTC(2026, 0, 15, 11, 0, 0);
    expect(r.quantities).toEqual([
      { obis: '1.5.0', value: 412, unit: 'W', capturedAt: t0 + 900_000 },
      { obis: '2.5.0', value: 0, unit: 'W', capturedAt: t0 + 900_000 },
      { obis: '1.5.0', value: 0, unit: 'W', capturedAt: t0 + 1_800_000 },
      { obis: '2.5.0', value: 1250, unit: 'W', capturedAt: t0 + 1_800_000 },
    ]);
  });

  it('rejects a block whose BCC fails and still decodes the next block even if ETX was lost', async () => {
    const a = dataBlock('1.8.0(000001.000*kWh)\r\n!\r\n');
    const noEtx = a.slice(0, a.length - 2); // ETX and BCC lost
    const b = dataBlock('1.8.0(000002.000*kWh)\r\n!\r\n');
    const events = await decodeChunked(make, concat([noEtx, b]));
    expect(errors(events)[0]!.code).toBe('METER_CHECKSUM');
    expect(readings(events).map((r) => quantity(r, '1.8.0')?.value)).toEqual([2000]);
  });
});

describe('IEC 62056-21 decoder: resynchronising after a bad block', () => {
  // Found by the property test (seed 1884757833): a '.' flipped to 0x82 reads as STX once the
  // parity bit is masked; resuming there made the block's tail a "new block" whose BCC matched by
  // chance, and a reading with no meter id came out. A block only begins after a line end or a lost ETX+BCC.
  it('does not restart a block at a damaged byte in the middle of a line', async () => {
    const lines = ['0.0.0(71234567)', '0.9.1(090001)', '1.8.0(001234.567*kWh)', '!'];
    const block = (body: string) => {
      const bytes = enc(`\x02${body}\r\n\x03`);
      return concat([bytes, Uint8Array.of(bcc(bytes, 1, bytes.length))]);
    };
    const good = block(lines.join('\r\n'));
    const damaged = good.slice();
    damaged[4] = damaged[4]! ^ 0xac; // '.' (0x2e) → 0x82
    const got = readings(await decodeChunked((l: DecodeListener) => new Iec62056Decoder(l), concat([damaged, good])));
    expect(got).toHaveLength(1);
    expect(got[0]!.meterId).toBe('71234567');
  });

  // Found by the property test (seed -697313683): a ')' flipped to a plain STX (0x02) mid-line,
  // and the block's BCC happened to be the BCC of the tail after it.
  it('does not restart a block at a plain STX in the middle of a line, even when the tail checks', async () => {
    const bytes = enc('\x020.0.0(71234567)\r\n0.9.1(090001)\r\n1.8.0(001234.567*kWh)\r\n!\r\n\x03');
    const stxAt = bytes.indexOf(0x29, 20); // the ')' after 090001
    bytes[stxAt] = 0x02;
    const tailBcc = bcc(bytes, stxAt + 1, bytes.length);
    expect(tailBcc).not.toBe(bcc(bytes, 1, bytes.length)); // the whole block fails its check
    const damaged = concat([bytes, Uint8Array.of(tailBcc)]);
    const goodBytes = enc('\x020.0.0(71234567)\r\n!\r\n\x03');
    const good = concat([goodBytes, Uint8Array.of(bcc(goodBytes, 1, goodBytes.length))]);
    const events = await decodeChunked((l: DecodeListener) => new Iec62056Decoder(l), concat([damaged, good]));
    expect(errors(events)[0]!.code).toBe('METER_CHECKSUM');
    expect(readings(events).map((r) => r.meterId)).toEqual(['71234567']);
  });

  // Property-test counterexample (seed -915494383): noise "STX, CR with its parity bit, space"
  // right before a good block; the bad block the stray STX opened must not swallow the good one.
  it('still finds a good block right after a stray STX and a few bytes of noise', async () => {
    const body = enc('\x020.0.0(71234567)\r\n1.8.0(001234.567*kWh)\r\n!\r\n\x03');
    const good = concat([body, Uint8Array.of(bcc(body, 1, body.length))]);
    const events = await decodeChunked((l: DecodeListener) => new Iec62056Decoder(l), concat([Uint8Array.of(0x02, 0x8d, 0x20), good]));
    expect(readings(events).map((r) => r.meterId)).toEqual(['71234567']);
  });

  // Property-test counterexample (seed 1451858859): noise "STX ETX ETX" is a block whose BCC
  // (03) holds; it carries no data line and must not become an empty reading.
  it('gives no reading for a block that passes its BCC but holds no data line', async () => {
    const events = await decodeChunked((l: DecodeListener) => new Iec62056Decoder(l), Uint8Array.of(0x02, 0x03, 0x03));
    expect(readings(events)).toEqual([]);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_FRAMING']);
  });
});
