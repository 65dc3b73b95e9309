import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecodeListener } from '../../../../../main/meter/protocols/decoder.js';
import { SmartyDecoder } from '../../../../../main/meter/protocols/dsmr/smarty-decoder.js';
import { encryptSmartyFrame, SMARTY_HEADER } from '../../../../../main/meter/protocols/dsmr/smarty-frame.js';
import { concat, decodeChunked, errors, hex, readings } from '../helpers.js';

const telegram = new Uint8Array(readFileSync(new URL('../../../../fixtures/protocols/dsmr-v5.txt', import.meta.url)));
const keys = { key: hex('000102030405060708090A0B0C0D0E0F'), aad: hex('00112233445566778899AABBCCDDEEFF') };
const title = new TextEncoder().encode('SAG10305');

describe('Luxembourg Smarty encrypted telegrams (AES-128-GCM)', () => {
  it('frames as DB 08 <title> 82 <len> 30 <counter>, and decrypts with the key and AAD', async () => {
    const frame = await encryptSmartyFrame(telegram, keys, title, 0x0000_1234);
    expect(frame[0]).toBe(0xdb);
    expect(frame[10]).toBe(0x82);
    expect((frame[11]! << 8) | frame[12]!).toBe(5 + telegram.length + 12);
    expect(frame[13]).toBe(0x30);
    expect(frame.length).toBe(SMARTY_HEADER + telegram.length + 12);
    const rs = readings(await decodeChunked((l: DecodeListener) => new SmartyDecoder(l, keys), frame, [7, 100, 500]));
    expect(rs).toHaveLength(1);
    expect(rs[0]!.meterId).toBe('K8EG004046395507');
  });

  it('refuses frames under a wrong key or AAD (METER_SMARTY_AUTH) and keeps decoding the next good one', async () => {
    const bad = await encryptSmartyFrame(telegram, { ...keys, aad: hex('FF112233445566778899AABBCCDDEEFF') }, title, 1);
    const good = await encryptSmartyFrame(telegram, keys, title, 2);
    const events = await decodeChunked((l) => new SmartyDecoder(l, keys), concat([bad, good]));
    expect(errors(events).map((e) => e.code)).toEqual(['METER_SMARTY_AUTH']);
    expect(readings(events)).toHaveLength(1);
  });

  it('detects a flipped ciphertext bit (GCM tag) instead of decoding garbage', async () => {
    const frame = await encryptSmartyFrame(telegram, keys, title, 3);
    frame[SMARTY_HEADER + 40]! ^= 0x01;
    const events = await decodeChunked((l) => new SmartyDecoder(l, keys), frame);
    expect(readings(events)).toHaveLength(0);
    expect(errors(events)[0]!.code).toBe('METER_SMARTY_AUTH');
  });

  it('says METER_SMARTY_KEY when no usable key was given', async () => {
    const frame = await encryptSmartyFrame(telegram, keys, title, 4);
    const events = await decodeChunked((l) => new SmartyDecoder(l, null), frame);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_SMARTY_KEY']);
  });

  it('finds the frames a garbled length swallowed, once the swallowing frame fails its tag', async () => {
    const [a, b, c] = await Promise.all([5, 6, 7].map((n) => encryptSmartyFrame(telegram, keys, title, n)));
    // a's length grows by exactly b's: framing takes a + b as one frame, whose tag then fails.
    const len = ((a![11]! << 8) | a![12]!) + b!.length;
    a![11] = len >> 8;
    a![12] = len & 0xff;
    const events = await decodeChunked((l) => new SmartyDecoder(l, keys), concat([a!, b!, c!]), [300, 2100]);
    expect(errors(events).map((e) => e.code)).toEqual(['METER_SMARTY_AUTH']);
    const got = events.flatMap((e) => (e.kind === 'reading' ? [e.offset] : []));
    expect(got).toEqual([a!.length, a!.length + b!.length]); // b rescued at its own offset, then c
  });
});
