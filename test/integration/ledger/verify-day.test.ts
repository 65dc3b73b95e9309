import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { fetchDayEvidence } from '../../../main/ledger/rpc/day-evidence.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import type { IntervalHandover } from '../../../main/ledger/tree/handover.js';
import type { RegionPath } from '../../../main/ledger/tree/region-path.js';
import type { DayReport } from '../../../main/ledger/verify/report.js';
import { verifyDay } from '../../../main/ledger/verify/verify-day.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';
import { anchorRegionDay, registerRegion, type RegionDay } from './region-days.js';

let L: LocalLedger;
const source = syntheticReadingSource(11);

beforeAll(async () => {
  L = await startLocalLedger({ discrepancies: [{ day: DAY0 + 1, index: 40, importDeltaWh: 25n }] });
  await L.operator.anchorDays(L.meterId, [DAY0, DAY0 + 1]);
});
afterAll(async () => L?.dispose());

async function report(day: number, opts: { minDepth?: number; interval?: number } = {}) {
  const rpc = httpTransport(L.chain.url);
  const evidence = await fetchDayEvidence({ rpc, contract: L.address, meterId: L.meterId, day, minDepth: opts.minDepth ?? 0 });
  return verifyDay({
    meterId: L.meterId,
    day,
    evidence,
    handover: await L.operator.handover(L.meterId, day),
    local: await source.intervals(L.meterId, day),
    minDepth: opts.minDepth ?? 0,
    resolutionWh: 1n,
    ...(opts.interval !== undefined ? { interval: opts.interval } : {}),
  });
}

describe('verifyDay against a real Hardhat chain', () => {
  it('passes every step for a faithfully anchored day', async () => {
    const r = await report(DAY0);
    expect(r.steps.map((s) => [s.id, s.status, s.code])).toEqual([
      ['readings', 'pass', null],
      ['leaves', 'pass', null],
      ['region', 'skipped', null],
      ['anchor', 'pass', null],
      ['header', 'pass', null],
      ['checkpoint', 'skipped', 'LEDGER_NO_CHECKPOINT'],
      ['finality', 'pass', null],
    ]);
    expect(r.ok).toBe(true);
    expect(r).toMatchObject({ design: 'meter', region: null });
    expect(r.steps[1]!.comparisons.filter((c) => c.subject.startsWith('leaf '))).toHaveLength(96);
  });

  it('lists the one interval where the operator differs from my meter, with both values', async () => {
    const r = await report(DAY0 + 1);
    const readings = r.steps[0]!;
    expect(readings.status).toBe('fail');
    expect(readings.code).toBe('PROOF_READINGS_DIFFER');
    const bad = readings.comparisons.filter((c) => !c.ok);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.subject).toMatch(/T10:00Z importWh/);
    expect(BigInt(bad[0]!.actual) - BigInt(bad[0]!.expected)).toBe(25n);
    // The chain still proves the operator's (different) record: the dispute is about the data, not the proof.
    expect(r.steps.slice(1).filter((s) => s.id !== 'region' && s.id !== 'checkpoint').every((s) => s.status === 'pass')).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('proves the absence of an anchor for a day never anchored', async () => {
    const r = await report(DAY0 + 5);
    expect(r.steps[3]).toMatchObject({ id: 'anchor', status: 'fail', code: 'LEDGER_NO_ANCHOR' });
    expect(r.ok).toBe(false);
  });

  it('verifies one interval on its own', async () => {
    const r = await report(DAY0, { interval: 17 });
    expect(r.ok).toBe(true);
    expect(r.interval).toBe(17);
    expect(r.steps[1]!.comparisons.filter((c) => c.subject.startsWith('leaf '))).toHaveLength(1);
    expect(r.steps[0]!.comparisons).toHaveLength(2);
  });

  it('refuses a block that is not deep enough', async () => {
    const rpc = httpTransport(L.chain.url);
    const head = Number(BigInt((await rpc.request('eth_blockNumber', [])) as string));
    const evidence = await fetchDayEvidence({ rpc, contract: L.address, meterId: L.meterId, day: DAY0, minDepth: 0, blockNumber: head });
    const r = await verifyDay({ meterId: L.meterId, day: DAY0, evidence, handover: await L.operator.handover(L.meterId, DAY0), local: null, minDepth: 3, resolutionWh: 1n });
    expect(r.steps[6]).toMatchObject({ id: 'finality', status: 'fail', code: 'PROOF_BLOCK_TOO_SHALLOW' });
    expect(r.steps[0]!.status).toBe('skipped');
    expect(r.ok).toBe(false);
  });
});

describe('verifyDay under region anchors (two Merkle levels, one anchor per region and day)', () => {
  const REGION = '0x' + 'a1'.repeat(32);
  const OTHER_REGION = '0x' + 'b2'.repeat(32);
  const home = meterIdOf('REGION-HOME');
  const neighbours = Array.from({ length: 40 }, (_, i) => meterIdOf(`REGION-NEIGHBOUR-${i}`));
  const stranger = meterIdOf('OTHER-REGION-METER');
  const D = DAY0 + 10;
  const days = new Map<number, RegionDay>();

  beforeAll(async () => {
    await registerRegion(L.ledger, REGION, [home, ...neighbours], L.household.address);
    await registerRegion(L.ledger, OTHER_REGION, [stranger], L.household.address);
    days.set(D, await anchorRegionDay(L.ledger, REGION, D, [home, ...neighbours]));
    days.set(D + 1, await anchorRegionDay(L.ledger, REGION, D + 1, [home, ...neighbours]));
    // The operator anchors my leaf with 40 Wh more import than my intervals add up to.
    days.set(D + 2, await anchorRegionDay(L.ledger, REGION, D + 2, [home, ...neighbours], { meterId: home, importWh: 40n }));
    days.set(-1, await anchorRegionDay(L.ledger, OTHER_REGION, D, [stranger]));
  });

  async function regionReport(args: { day?: number; meterId?: string; path?: RegionPath | null; handover?: IntervalHandover | null; interval?: number; regionId?: string | null }) {
    const day = args.day ?? D;
    const meterId = args.meterId ?? home;
    const path = args.path === undefined ? days.get(day)!.path(meterId) : args.path;
    const rpc = httpTransport(L.chain.url);
    const evidence = await fetchDayEvidence({ rpc, contract: L.address, meterId, day, minDepth: 0, ...(args.regionId !== undefined ? { regionId: args.regionId } : path ? { regionId: path.regionId } : {}) });
    return verifyDay({
      meterId,
      day,
      evidence,
      handover: args.handover === undefined ? days.get(day)!.handover(meterId) : args.handover,
      region: path,
      local: null,
      minDepth: 0,
      resolutionWh: 1n,
      ...(args.interval !== undefined ? { interval: args.interval } : {}),
    });
  }
  const statuses = (r: DayReport) => r.steps.map((s) => [s.id, s.status, s.code]);
  const failing = (r: DayReport) => r.steps.filter((s) => s.status === 'fail').map((s) => [s.id, s.code]);

  it('proves a day through the region: intervals → meter-day root → region-day root → storage → header', async () => {
    const r = await regionReport({});
    expect(statuses(r)).toEqual([
      ['readings', 'skipped', 'LEDGER_NO_LOCAL_READINGS'],
      ['leaves', 'pass', null],
      ['region', 'pass', null],
      ['anchor', 'pass', null],
      ['header', 'pass', null],
      ['checkpoint', 'skipped', 'LEDGER_NO_CHECKPOINT'],
      ['finality', 'pass', null],
    ]);
    expect(r.ok).toBe(true);
    expect(r).toMatchObject({ design: 'region', region: { id: REGION, meters: '41' } });
    expect(r.steps[1]!.comparisons.filter((c) => c.subject.startsWith('leaf '))).toHaveLength(96);
    const fold = r.steps[2]!.comparisons.find((c) => c.subject.startsWith('meter-day leaf'))!;
    expect(fold).toMatchObject({ expected: days.get(D)!.tree.root, actual: days.get(D)!.tree.root, ok: true });
    expect(r.steps[3]!.comparisons.find((c) => c.subject.startsWith('meterRegions'))).toMatchObject({ expected: REGION, actual: REGION, ok: true });
  });

  it('finds the region from the meter registration when the caller does not name it, and proves one interval', async () => {
    const rpc = httpTransport(L.chain.url);
    const evidence = await fetchDayEvidence({ rpc, contract: L.address, meterId: home, day: D, minDepth: 0 });
    expect(evidence.regionId).toBe(REGION);
    const r = await regionReport({ interval: 57 });
    expect(r.ok).toBe(true);
    expect(r.steps[1]!.comparisons.filter((c) => c.subject.startsWith('leaf '))).toHaveLength(1);
  });

  it('refuses a region path with one sibling altered, a changed leaf value, or another meter’s path', async () => {
    const good = days.get(D)!.path(home);
    const flipped = { ...good, path: good.path.map((s, i) => (i === 3 ? '0x' + (s[2] === '0' ? '1' : '0') + s.slice(3) : s)) };
    const richer = { ...good, exportWh: (BigInt(good.exportWh) + 1n).toString() };
    const neighbours0 = days.get(D)!.path(neighbours[0]!);
    for (const path of [flipped, richer, neighbours0]) {
      const r = await regionReport({ path });
      expect(r.ok).toBe(false);
      expect(failing(r)).toEqual([['region', 'PROOF_REGION_PATH']]);
      // Nothing below an unproven meter-day root is checked against it.
      expect(r.steps[1]).toMatchObject({ id: 'leaves', status: 'skipped', code: 'PROOF_REGION_PATH' });
    }
  });

  it('refuses a path file that is not one (a short sibling, a missing salt) with a step, not an exception', async () => {
    const good = days.get(D)!.path(home);
    for (const path of [{ ...good, path: ['0x12'] }, { ...good, salt: undefined }] as unknown as RegionPath[]) {
      const r = await regionReport({ path });
      expect(r.ok).toBe(false);
      expect(failing(r)).toEqual([['region', 'PROOF_REGION_PATH']]);
    }
  });

  it('refuses a path for another day (PROOF_WRONG_DAY), and intervals for another day', async () => {
    const r = await regionReport({ path: days.get(D + 1)!.path(home) });
    expect(failing(r)).toEqual([['region', 'PROOF_WRONG_DAY']]);
    expect(r.steps[2]!.comparisons.find((c) => c.subject === 'region path day')).toMatchObject({ ok: false });
    const wrongIntervals = await regionReport({ handover: days.get(D + 1)!.handover(home) });
    expect(failing(wrongIntervals)).toEqual([['leaves', 'PROOF_WRONG_DAY']]);
  });

  it('refuses a path of a region the meter is not registered in (PROOF_REGION_MISMATCH), proven from storage', async () => {
    // The other region's genuine path and anchor, shown for my meter.
    const foreign = await regionReport({ path: { ...days.get(-1)!.path(stranger), meterId: home } });
    expect(failing(foreign)).toEqual([['anchor', 'PROOF_REGION_MISMATCH']]);
    expect(foreign.steps[3]!.comparisons.find((c) => c.subject.startsWith('meterRegions'))).toMatchObject({ expected: OTHER_REGION, actual: REGION, ok: false });
    // A per-meter meter (registered in no region) handed a region path.
    const perMeter = await regionReport({ meterId: L.meterId, day: D, path: { ...days.get(D)!.path(home), meterId: L.meterId }, handover: null });
    expect(failing(perMeter)).toEqual([['anchor', 'PROOF_REGION_MISMATCH']]);
    expect(perMeter.ok).toBe(false);
  });

  it('flags a meter-day leaf whose totals are not the sum of its intervals (PROOF_DAY_TOTALS)', async () => {
    const r = await regionReport({ day: D + 2 });
    expect(r.steps[2]).toMatchObject({ id: 'region', status: 'pass' });
    expect(failing(r)).toEqual([['leaves', 'PROOF_DAY_TOTALS']]);
    const sum = r.steps[1]!.comparisons.find((c) => c.subject.startsWith('sum importWh'))!;
    expect(BigInt(sum.expected) - BigInt(sum.actual)).toBe(40n);
    expect(r.ok).toBe(false);
  });

  it('refuses intervals that are not under the meter-day root the region proves', async () => {
    const h = days.get(D)!.handover(home);
    const altered = { ...h, intervals: h.intervals.map((iv, i) => (i === 30 ? { ...iv, exportWh: (BigInt(iv.exportWh) + 5n).toString() } : iv)) };
    const r = await regionReport({ handover: altered });
    expect(failing(r)).toEqual([['leaves', 'PROOF_LEAF_NOT_UNDER_ROOT']]);
    expect(r.steps[1]!.comparisons.filter((c) => !c.ok).map((c) => c.subject)).toContain('leaf 30 (07:30Z) → root');
  });

  it('says so when a region meter has no path handed over, and when its region did not anchor the day', async () => {
    const noPath = await regionReport({ path: null, regionId: undefined });
    expect(noPath.design).toBe('region');
    expect(noPath.steps[2]).toMatchObject({ id: 'region', status: 'skipped', code: 'LEDGER_NO_REGION_PATH' });
    expect(noPath.steps[3]).toMatchObject({ id: 'anchor', status: 'pass' });
    expect(noPath.ok).toBe(false);
    const notAnchored = await regionReport({ day: D + 5, path: { ...days.get(D)!.path(home), day: D + 5 }, handover: null });
    expect(failing(notAnchored)).toEqual([['anchor', 'LEDGER_NO_ANCHOR']]);
    expect(notAnchored.steps[2]).toMatchObject({ status: 'skipped', code: 'LEDGER_NO_ANCHOR' });
  });
});
