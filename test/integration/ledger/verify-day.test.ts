import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { fetchDayEvidence } from '../../../main/ledger/rpc/day-evidence.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { verifyDay } from '../../../main/ledger/verify/verify-day.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';

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
      ['anchor', 'pass', null],
      ['header', 'pass', null],
      ['finality', 'pass', null],
    ]);
    expect(r.ok).toBe(true);
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
    expect(r.steps.slice(1).every((s) => s.status === 'pass')).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('proves the absence of an anchor for a day never anchored', async () => {
    const r = await report(DAY0 + 5);
    expect(r.steps[2]).toMatchObject({ id: 'anchor', status: 'fail', code: 'LEDGER_NO_ANCHOR' });
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
    expect(r.steps[4]).toMatchObject({ status: 'fail', code: 'PROOF_BLOCK_TOO_SHALLOW' });
    expect(r.steps[0]!.status).toBe('skipped');
    expect(r.ok).toBe(false);
  });
});
