import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDayTree } from '../../../main/ledger/tree/day-tree.js';
import { MeterDayHasher } from '../../../main/ledger/tree/meter-day-hasher.js';
import { bytes, hex } from '../../../main/ledger/verify/bytes.js';

const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const day = fc.record({
  meterId: b32,
  start: fc.integer({ min: 0, max: 2 ** 40 }).map((s) => s - (s % 900)),
  seconds: fc.constantFrom(900, 60, 3600),
  values: fc.array(fc.tuple(fc.nat({ max: 2 ** 53 - 1 }), fc.nat({ max: 5000 }), b32), { minLength: 1, maxLength: 120 }),
});

describe('the meter-day hasher (bytes, no allocation per leaf)', () => {
  it('gives the root buildDayTree (held equal to StandardMerkleTree) gives, meter after meter with one hasher', () => {
    const hasher = new MeterDayHasher(4);
    const out = new Uint8Array(32);
    fc.assert(
      fc.property(day, (d) => {
        const salts = new Uint8Array(d.values.length * 32);
        d.values.forEach((v, i) => salts.set(v[2], i * 32));
        hasher.root(
          {
            meterId: d.meterId,
            count: d.values.length,
            starts: d.values.map((_, i) => d.start + i * d.seconds),
            seconds: d.values.map(() => d.seconds),
            importWh: d.values.map((v) => v[0]),
            exportWh: d.values.map((v) => v[1]),
            salts,
          },
          out,
        );
        const expected = buildDayTree(
          hex(d.meterId),
          d.values.map((v, i) => ({ start: d.start + i * d.seconds, seconds: d.seconds, importWh: BigInt(v[0]), exportWh: BigInt(v[1]), salt: hex(v[2]) })),
        ).root;
        expect(hex(out)).toBe(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('refuses energies that are not whole Wh below 2^53, and an empty day', () => {
    const hasher = new MeterDayHasher();
    const base = { meterId: bytes('0x' + '11'.repeat(32)), starts: [0], seconds: [900], count: 1, exportWh: [0], salts: new Uint8Array(32) };
    const out = new Uint8Array(32);
    expect(() => hasher.root({ ...base, importWh: [-1] }, out)).toThrow(RangeError);
    expect(() => hasher.root({ ...base, importWh: [1.5] }, out)).toThrow(RangeError);
    expect(() => hasher.root({ ...base, importWh: [2 ** 53] }, out)).toThrow(RangeError);
    expect(() => hasher.root({ ...base, importWh: [], count: 0 }, out)).toThrow(RangeError);
    expect(() => hasher.root({ ...base, importWh: [1], seconds: [0] }, out)).toThrow(RangeError);
  });
});
