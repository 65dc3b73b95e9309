import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGION_LEAF_TYPES, meterDayOfLeaf, regionLeafHash, regionLeafValue, type MeterDay } from '../../../main/ledger/tree/region-leaf.js';
import { hex } from '../../../main/ledger/verify/bytes.js';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hex(b));
const meterDay = fc.record({
  meterId: hex32,
  day: fc.integer({ min: 0, max: 0xffff_ffff }),
  root: hex32,
  importWh: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  exportWh: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  salt: hex32,
});

describe('region (meter-day) leaves', () => {
  it('hash exactly as StandardMerkleTree.leafHash does', () => {
    fc.assert(
      fc.property(meterDay, (md) => {
        const tree = StandardMerkleTree.of([regionLeafValue(md)], [...REGION_LEAF_TYPES]);
        expect(hex(regionLeafHash(md))).toBe(tree.leafHash(regionLeafValue(md)));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trip through leaf values', () => {
    fc.assert(
      fc.property(meterDay, (md) => {
        expect(meterDayOfLeaf(regionLeafValue(md))).toEqual(md);
      }),
    );
  });

  it('refuse values outside their ABI type', () => {
    const md: MeterDay = { meterId: '0x' + '11'.repeat(32), day: 2 ** 32, root: '0x' + '22'.repeat(32), importWh: 0n, exportWh: 0n, salt: '0x' + '00'.repeat(32) };
    expect(() => regionLeafHash(md)).toThrow(RangeError);
    expect(() => regionLeafHash({ ...md, day: 1, exportWh: 1n << 64n })).toThrow(RangeError);
    expect(() => regionLeafHash({ ...md, day: 1, root: '0x12' })).toThrow(RangeError);
  });
});
