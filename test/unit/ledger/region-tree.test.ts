import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { REGION_LEAF_TYPES, regionLeafValue, type MeterDay } from '../../../main/ledger/tree/region-leaf.js';
import { regionPathSchema } from '../../../main/ledger/tree/region-path.js';
import { buildRegionTree, RegionPartition } from '../../../main/ledger/tree/region-tree.js';
import { bytes, hex } from '../../../main/ledger/verify/bytes.js';

const DAY = 20_000;
const REGION = '0x' + 'ab'.repeat(32);
const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hex(b));
const u64 = fc.bigInt({ min: 0n, max: (1n << 60n) - 1n });
const meterDays = fc.uniqueArray(fc.record({ meterId: hex32, root: hex32, importWh: u64, exportWh: u64, salt: hex32 }), {
  minLength: 1,
  maxLength: 60,
  selector: (m) => m.meterId,
});

function add(p: RegionPartition, m: Omit<MeterDay, 'day'>): void {
  p.add(bytes(m.meterId), bytes(m.root), m.importWh, m.exportWh, bytes(m.salt));
}

function partitionsOf(ms: readonly Omit<MeterDay, 'day'>[], k: number): RegionPartition[] {
  const parts = Array.from({ length: k }, () => new RegionPartition(DAY, 1));
  ms.forEach((m, i) => add(parts[i % k]!, m));
  return parts;
}

describe('region-day trees', () => {
  it('build the root and every path StandardMerkleTree builds over the meter-day leaves', () => {
    fc.assert(
      fc.property(meterDays, (ms) => {
        const tree = buildRegionTree(REGION, DAY, partitionsOf(ms, 1));
        const lib = StandardMerkleTree.of(ms.map((m) => regionLeafValue({ ...m, day: DAY })), [...REGION_LEAF_TYPES]);
        expect(tree.root).toBe(lib.root);
        expect(tree.meters).toBe(ms.length);
        expect(tree.importWh).toBe(ms.reduce((s, m) => s + m.importWh, 0n));
        ms.forEach((m, i) => {
          const path = tree.path(m.meterId)!;
          expect(regionPathSchema.parse(path)).toEqual(path);
          expect(path.path).toEqual(lib.getProof(i));
          expect(path).toMatchObject({ meterDayRoot: m.root, importWh: m.importWh.toString(), salt: m.salt, day: DAY, regionRoot: lib.root });
          expect(StandardMerkleTree.verify(tree.root, [...REGION_LEAF_TYPES], regionLeafValue({ ...m, day: DAY }), path.path)).toBe(true);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('give one region the same root from 4 partitions as from one, whatever the order of meters', () => {
    fc.assert(
      fc.property(meterDays, fc.nat(), (ms, seed) => {
        const one = buildRegionTree(REGION, DAY, partitionsOf(ms, 1));
        const shuffled = [...ms].sort((a, b) => ((a.salt.charCodeAt(2 + (seed % 60)) ^ seed) & 7) - ((b.salt.charCodeAt(2 + (seed % 60)) ^ seed) & 7));
        const four = buildRegionTree(REGION, DAY, partitionsOf(shuffled, 4));
        expect(four.root).toBe(one.root);
        expect(four.nodes).toEqual(one.nodes);
        expect(four.path(ms[0]!.meterId)).toEqual(one.path(ms[0]!.meterId));
      }),
      { numRuns: 40 },
    );
  });

  it('hand partitions over as bytes (a worker, another machine) and get the same tree', () => {
    const ms = fc.sample(meterDays.filter((x) => x.length > 8), 1)[0]!;
    const parts = partitionsOf(ms, 4);
    const moved = parts.map((p) => RegionPartition.of(DAY, p.bytes().slice()));
    expect(buildRegionTree(REGION, DAY, moved).root).toBe(buildRegionTree(REGION, DAY, parts).root);
  });

  it('refuse a meter twice, within a partition or across two, naming the meter', () => {
    const ms = fc.sample(meterDays.filter((x) => x.length > 3), 1)[0]!;
    for (const k of [1, 2]) {
      const parts = partitionsOf([...ms, { ...ms[0]!, root: ms[1]!.root }], k);
      let caught: unknown;
      try {
        buildRegionTree(REGION, DAY, parts);
      } catch (e) {
        caught = e;
      }
      expect(isError(caught, 'LEDGER_REGION_DUPLICATE_METER')).toBe(true);
      expect((caught as { facts: { meterId: string } }).facts.meterId).toBe(ms[0]!.meterId.toLowerCase());
    }
  });

  it('refuse an empty region and a partition of another day', () => {
    expect(() => buildRegionTree(REGION, DAY, [new RegionPartition(DAY)])).toThrow(expect.objectContaining({ code: 'LEDGER_REGION_EMPTY' }));
    const other = new RegionPartition(DAY + 1);
    expect(() => buildRegionTree(REGION, DAY, [other])).toThrow(RangeError);
  });

  it('answer no path for a meter not in the tree', () => {
    const ms = fc.sample(meterDays, 1)[0]!;
    const tree = buildRegionTree(REGION, DAY, partitionsOf(ms, 2));
    expect(tree.path('0x' + '00'.repeat(31) + '01')).toBeNull();
    expect(tree.path('not hex')).toBeNull();
  });
});
