import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketList } from '../../../main/history/bucket-sums.js';

describe('BucketList (one roll-up level of a batch)', () => {
  it('gives the same bucket for the same start in any order of asking, as a Map would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 })), { maxLength: 200 }), (asks) => {
        const list = new BucketList();
        const model = new Map<number, number>();
        for (const [minute, wh] of asks) {
          const start = 1_700_000_000_000 + minute * 60_000;
          list.get(start).importWh += wh;
          model.set(start, (model.get(start) ?? 0) + wh);
        }
        expect(list.size).toBe(model.size);
        expect(new Map([...list].map(([s, b]) => [s, b.importWh]))).toEqual(model);
        // First-asked order, as the flush and a Map iterate.
        expect([...list.keys()]).toEqual([...model.keys()]);
      }),
      { numRuns: 300 },
    );
  });

  // Property counterexample while writing it: a bucket asked for again after an earlier one
  // was added out of order was appended a second time.
  it('holds one bucket per start after an out-of-order one (35, 0, 35)', () => {
    const list = new BucketList();
    for (const s of [35, 0, 35]) list.get(s).samples++;
    expect([...list].map(([s, b]) => [s, b.samples])).toEqual([
      [35, 2],
      [0, 1],
    ]);
  });

  it('starts empty again after clear()', () => {
    const list = new BucketList();
    list.get(2).samples++;
    list.get(1).samples++; // out of order: builds the index
    list.clear();
    expect(list.size).toBe(0);
    expect(list.get(1)).toEqual({ importWh: 0, exportWh: 0, coveredMs: 0, samples: 0 });
    expect(list.size).toBe(1);
  });
});
