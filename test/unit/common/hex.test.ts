import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hexInto, toHex, toHexUpper } from '../../../main/common/hex.js';

// Node's Buffer is the reference: the one hex module must agree with it on every byte string.
describe('hex', () => {
  it('encodes as Node does, lowercase and uppercase, with an optional separator', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const reference = Buffer.from(bytes).toString('hex');
        expect(toHex(bytes)).toBe(reference);
        expect(toHexUpper(bytes)).toBe(reference.toUpperCase());
        expect(toHex(bytes, ' ')).toBe(reference.match(/../g)?.join(' ') ?? '');
      }),
    );
  });

  it('decodes what it encodes, with or without 0x, in either case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes);
        expect(fromHex(`0x${toHexUpper(bytes)}`)).toEqual(bytes);
        expect(fromHex(`0X${toHex(bytes)}`)).toEqual(bytes);
      }),
    );
  });

  it('refuses what is not whole bytes of hex', () => {
    for (const bad of ['0', 'abc', '0x1', 'zz', '12 34', '0x0x12', 'x12', '12g4', '-1']) expect(fromHex(bad), bad).toBeNull();
    expect(fromHex('')).toEqual(new Uint8Array(0));
    expect(fromHex('0x')).toEqual(new Uint8Array(0));
  });

  it('decodes into a buffer at an offset without touching the rest, and only exactly `length` bytes', () => {
    const out = new Uint8Array(6).fill(0xee);
    expect(hexInto('0xA1b2', out, 2, 2)).toBe(true);
    expect([...out]).toEqual([0xee, 0xee, 0xa1, 0xb2, 0xee, 0xee]);
    expect(hexInto('a1b2c3', out, 0, 2)).toBe(false);
    expect(hexInto('a1', out, 0, 2)).toBe(false);
    expect(hexInto('a1:2', out, 0, 2)).toBe(false);
  });
});
