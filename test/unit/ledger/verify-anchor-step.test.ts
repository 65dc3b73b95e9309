import { describe, expect, it } from 'vitest';
import { anchorStep } from '../../../main/ledger/verify/anchor-step.js';
import { daySlots } from '../../../main/ledger/verify/evidence-slots.js';
import { groupedStep } from '../../../main/ledger/verify/report.js';
import type { StorageProofResult } from '../../../main/ledger/verify/storage-proof.js';

// The anchor step decides the design from values a storage proof proved (here handed in as
// proven, the proofs themselves are held by test/integration/ledger/tamper.test.ts on a chain).

const METER = '0x' + '11'.repeat(32);
const REGION = '0x' + 'a1'.repeat(32);
const OTHER = '0x' + 'b2'.repeat(32);
const DAY = 20_240;
const word = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');

function proven(slots: ReturnType<typeof daySlots>, values: { meterRoot?: bigint; meterTotals?: bigint; region?: string | null; regionRoot?: bigint; regionTotals?: bigint }): StorageProofResult {
  const m = new Map<string, bigint>([[slots.meterRegion, values.region ? BigInt(values.region) : 0n]]);
  if (slots.meter) {
    m.set(slots.meter.root, values.meterRoot ?? 0n);
    m.set(slots.meter.totals, values.meterTotals ?? 0n);
  }
  if (slots.region) {
    m.set(slots.region.root, values.regionRoot ?? 0n);
    m.set(slots.region.totals, values.regionTotals ?? 0n);
  }
  return { ok: true, values: m, comparisons: [{ subject: 'account proof → stateRoot', expected: '0x', actual: 'valid', ok: true }] };
}

describe('the anchor step reads the design from proven storage', () => {
  it('proves a region day: the registration names the path region and its anchor is there, with the meter count', () => {
    const slots = daySlots(METER, DAY, { pathRegionId: REGION });
    expect(slots.meter).toBeNull(); // with a path, the meter's own anchor is not asked for
    const a = anchorStep({ slots, storage: proven(slots, { region: REGION, regionRoot: 0xabcn, regionTotals: 5n | (7n << 64n) | (9n << 128n) | (41n << 192n) }), pathRegionId: REGION });
    expect(a).toMatchObject({ design: 'region', regionId: REGION, regionAnchor: { root: word(0xabcn), meters: 41n, totals: { importWh: 5n, exportWh: 7n } }, meterAnchor: null });
    expect(a.step).toMatchObject({ id: 'anchor', status: 'pass' });
  });

  it('refuses a path of another region than the registration, and a path for a meter in no region', () => {
    const slots = daySlots(METER, DAY, { pathRegionId: OTHER });
    const other = anchorStep({ slots, storage: proven(slots, { region: REGION, regionRoot: 1n }), pathRegionId: OTHER });
    expect(other.step).toMatchObject({ status: 'fail', code: 'PROOF_REGION_MISMATCH' });
    expect(other.regionId).toBe(REGION);
    const none = anchorStep({ slots, storage: proven(slots, { regionRoot: 1n }), pathRegionId: OTHER });
    expect(none.step).toMatchObject({ status: 'fail', code: 'PROOF_REGION_MISMATCH' });
  });

  it('says the region did not anchor the day, proven absent', () => {
    const slots = daySlots(METER, DAY, { pathRegionId: REGION });
    expect(anchorStep({ slots, storage: proven(slots, { region: REGION }), pathRegionId: REGION }).step).toMatchObject({ status: 'fail', code: 'LEDGER_NO_ANCHOR' });
  });

  it('takes a region meter without a path as the region design, and its anchor unproven when another region was asked for', () => {
    const asked = daySlots(METER, DAY, { pathRegionId: null, registeredRegionId: REGION });
    const found = anchorStep({ slots: asked, storage: proven(asked, { region: REGION, regionRoot: 2n }), pathRegionId: null });
    expect(found).toMatchObject({ design: 'region', regionId: REGION, step: { status: 'pass' } });
    const wrongHint = daySlots(METER, DAY, { pathRegionId: null, registeredRegionId: OTHER });
    const lied = anchorStep({ slots: wrongHint, storage: proven(wrongHint, { region: REGION, regionRoot: 2n }), pathRegionId: null });
    expect(lied).toMatchObject({ design: 'region', regionId: REGION, step: { status: 'fail', code: 'LEDGER_NO_REGION_PATH' } });
  });

  it('proves per meter a day anchored before the meter joined a region, and per meter a meter in no region', () => {
    const slots = daySlots(METER, DAY, { pathRegionId: null, registeredRegionId: REGION });
    const before = anchorStep({ slots, storage: proven(slots, { region: REGION, meterRoot: 0x77n, meterTotals: 3n | (4n << 64n) }), pathRegionId: null });
    expect(before).toMatchObject({ design: 'meter', regionId: REGION, meterAnchor: { root: word(0x77n), totals: { importWh: 3n, exportWh: 4n } }, step: { status: 'pass' } });
    const alone = daySlots(METER, DAY, { pathRegionId: null });
    const small = anchorStep({ slots: alone, storage: proven(alone, {}), pathRegionId: null });
    expect(small).toMatchObject({ design: 'meter', regionId: null, step: { status: 'fail', code: 'LEDGER_NO_ANCHOR' } });
  });

  it('passes a storage proof failure through, under the design the path asked for', () => {
    const slots = daySlots(METER, DAY, { pathRegionId: REGION });
    const bad: StorageProofResult = { ok: false, code: 'PROOF_STORAGE_MISMATCH', message: 'x', comparisons: [] };
    expect(anchorStep({ slots, storage: bad, pathRegionId: REGION })).toMatchObject({ design: 'region', step: { status: 'fail', code: 'PROOF_STORAGE_MISMATCH' } });
  });
});

describe('a step of grouped comparisons', () => {
  const ok = { subject: 'a', expected: '1', actual: '1', ok: true };
  const no = { subject: 'b', expected: '1', actual: '2', ok: false };
  it('names the first failing group in priority order, whatever the display order', () => {
    const s = groupedStep('leaves', [{ code: 'PROOF_DAY_TOTALS', comparisons: [no] }, { code: 'PROOF_LEAF_NOT_UNDER_ROOT', comparisons: [ok, no] }], ['PROOF_LEAF_NOT_UNDER_ROOT', 'PROOF_DAY_TOTALS'], 'p', 'f');
    expect(s).toMatchObject({ status: 'fail', code: 'PROOF_LEAF_NOT_UNDER_ROOT' });
    expect(s.comparisons).toEqual([no, ok, no]);
    expect(groupedStep('leaves', [{ code: 'PROOF_DAY_TOTALS', comparisons: [no] }, { code: 'PROOF_LEAF_NOT_UNDER_ROOT', comparisons: [ok] }], ['PROOF_LEAF_NOT_UNDER_ROOT', 'PROOF_DAY_TOTALS'], 'p', 'f').code).toBe('PROOF_DAY_TOTALS');
  });
  it('passes only with something compared and nothing failing', () => {
    expect(groupedStep('region', [{ code: 'X', comparisons: [ok] }], ['X'], 'p', 'f')).toMatchObject({ status: 'pass', code: null });
    expect(groupedStep('region', [{ code: 'X', comparisons: [] }], ['X'], 'p', 'f')).toMatchObject({ status: 'fail', code: 'X' });
  });
});
