import { keccak256, toUtf8Bytes, type Contract, type ContractTransactionResponse } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { energyLedgerAt, energyLedgerInterface } from '../../../main/ledger/chain/ledger-contract.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { decodeRegionTotals, decodeTotals, meterRegionSlot, regionAnchorSlots } from '../../../main/ledger/verify/anchor-slots.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';

// EnergyLedger's region anchors (issue 16) on a real Hardhat chain: one root per (region, day),
// a meter's registration naming its region, and every refusal as its typed custom error.
let L: LocalLedger;
let asStranger: Contract;
const root = (n: number) => keccak256(toUtf8Bytes(`region root ${n}`));
const REGION = meterIdOf('CN-SH-Pudong');
const OTHER_REGION = meterIdOf('CN-SH-Minhang');
const ZERO = '0x' + '00'.repeat(32);

beforeAll(async () => {
  L = await startLocalLedger();
  asStranger = energyLedgerAt(L.address, L.stranger);
});
afterAll(async () => L?.dispose());

async function revertName(p: Promise<ContractTransactionResponse>): Promise<string> {
  try {
    await (await p).wait();
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (!data) throw e;
    return energyLedgerInterface.parseError(data)?.name ?? 'unknown';
  }
  return 'no revert';
}

const fn = (c: Contract, name: string) => c.getFunction(name);

describe('EnergyLedger region anchors', () => {
  it("registers a meter in a region (operator only), with both events, at the documented slot", async () => {
    const m = meterIdOf('REGION-METER-1');
    expect(await revertName(fn(asStranger, 'registerMeterInRegion')(m, L.stranger.address, REGION))).toBe('AccessControlUnauthorizedAccount');
    expect(await revertName(fn(L.ledger, 'registerMeterInRegion')(m, L.stranger.address, ZERO))).toBe('ZeroRegion');
    const receipt = await (await fn(L.ledger, 'registerMeterInRegion')(m, L.household.address, REGION)).wait();
    const logs = receipt.logs.map((l: Parameters<typeof energyLedgerInterface.parseLog>[0]) => energyLedgerInterface.parseLog(l));
    expect(logs.map((l: { name: string } | null) => l?.name)).toEqual(['MeterRegistered', 'MeterRegionSet']);
    expect([logs[1].args[0], logs[1].args[1]]).toEqual([m, REGION]);
    expect(await fn(L.ledger, 'meterRegion')(m)).toBe(REGION);
    expect(await L.provider.getStorage(L.address, meterRegionSlot(m))).toBe(REGION);
    // A household finds its region by its meter id: the MeterRegionSet event is indexed by both.
    const found = await L.ledger.queryFilter(L.ledger.filters.MeterRegionSet!(m));
    expect(found.map((e) => (e as unknown as { args: unknown[] }).args[1])).toEqual([REGION]);
    // A change of owner (registerMeter) keeps the region.
    await (await fn(L.ledger, 'registerMeter')(m, L.stranger.address)).wait();
    expect(await fn(L.ledger, 'meterRegion')(m)).toBe(REGION);
    expect(await fn(L.ledger, 'meterOwner')(m)).toBe(L.stranger.address);
  });

  it('registers a region roll-out in one transaction, and refuses lists of different lengths', async () => {
    const ms = [1, 2, 3].map((i) => meterIdOf(`ROLLOUT-${i}`));
    const owners = ms.map(() => L.household.address);
    expect(await revertName(fn(L.ledger, 'registerMetersInRegion')(ms, owners.slice(1), REGION))).toBe('LengthMismatch');
    await (await fn(L.ledger, 'registerMetersInRegion')(ms, owners, REGION)).wait();
    for (const m of ms) expect(await fn(L.ledger, 'meterRegion')(m)).toBe(REGION);
  });

  it('anchors a closed region-day once, with its event, at the documented slots, and measures its gas', async () => {
    const tx = await fn(L.ledger, 'anchorRegionDay')(REGION, DAY0, root(1), 1_000_000n, 9_876_543_210n, 1_234_567n);
    const receipt = await tx.wait();
    const log = energyLedgerInterface.parseLog(receipt.logs[0]);
    expect(log?.name).toBe('RegionDayAnchored');
    expect([log?.args[0], Number(log?.args[1]), log?.args[2], log?.args[3], log?.args[4], log?.args[5]]).toEqual([
      REGION, DAY0, root(1), 1_000_000n, 9_876_543_210n, 1_234_567n,
    ]);
    const slots = regionAnchorSlots(REGION, DAY0);
    expect(await L.provider.getStorage(L.address, slots.root)).toBe(root(1));
    const word = BigInt(await L.provider.getStorage(L.address, slots.totals));
    const block = await L.provider.getBlock(receipt.blockNumber);
    expect(decodeRegionTotals(word)).toEqual({ importWh: 9_876_543_210n, exportWh: 1_234_567n, anchoredAt: BigInt(block!.timestamp), meters: 1_000_000n });
    // The first three fields sit where a DayAnchor's do.
    expect(decodeTotals(word)).toEqual({ importWh: 9_876_543_210n, exportWh: 1_234_567n, anchoredAt: BigInt(block!.timestamp) });
    const a = await fn(L.ledger, 'regionAnchor')(REGION, DAY0);
    expect([a.root, a.meters, a.importWh, a.exportWh]).toEqual([root(1), 1_000_000n, 9_876_543_210n, 1_234_567n]);
    // One transaction a region-day, whatever the meter count: two storage slots and an event.
    const gas = Number(receipt.gasUsed);
    expect(gas).toBeGreaterThan(21_000);
    expect(gas).toBeLessThan(100_000);
    console.log(`anchorRegionDay gas: ${gas} (${(gas / 1_000_000).toFixed(3)} per meter-day for a million meters)`);
  });

  it('refuses an operator that anchors a region-day twice, and a replacement after the anchor is final', async () => {
    const slots = regionAnchorSlots(REGION, DAY0);
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(REGION, DAY0, root(1), 1_000_000n, 9_876_543_210n, 1_234_567n))).toBe('RegionAlreadyAnchored');
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(REGION, DAY0, root(2), 1_000_000n, 1n, 1n))).toBe('RegionAnchorFinal');
    // A batch carrying the day again is refused whole.
    expect(await revertName(fn(L.ledger, 'anchorRegionDays')(REGION, [DAY0 + 5, DAY0], [root(3), root(2)], [1n, 1n], [1n, 1n], [1n, 1n]))).toBe('RegionAnchorFinal');
    expect(await L.provider.getStorage(L.address, slots.root)).toBe(root(1));
    expect((await fn(L.ledger, 'regionAnchor')(REGION, DAY0 + 5)).root).toBe(ZERO);
  });

  it('refuses region anchors from others, for no region, zero roots, no meters and days not yet closed', async () => {
    expect(await revertName(fn(asStranger, 'anchorRegionDay')(REGION, DAY0 + 1, root(3), 1n, 1n, 1n))).toBe('AccessControlUnauthorizedAccount');
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(ZERO, DAY0 + 1, root(3), 1n, 1n, 1n))).toBe('ZeroRegion');
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(REGION, DAY0 + 1, ZERO, 1n, 1n, 1n))).toBe('ZeroRoot');
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(REGION, DAY0 + 1, root(3), 0n, 1n, 1n))).toBe('EmptyRegion');
    const today = Math.floor(Date.now() / 86_400_000);
    expect(await revertName(fn(L.ledger, 'anchorRegionDay')(REGION, today, root(3), 1n, 1n, 1n))).toBe('DayInFuture');
  });

  it('anchors a backlog of region-days in one transaction', async () => {
    const days = [DAY0 + 10, DAY0 + 11, DAY0 + 12];
    const receipt = await (await fn(L.ledger, 'anchorRegionDays')(OTHER_REGION, days, days.map((d) => root(d)), [5n, 5n, 5n], [1n, 2n, 3n], [0n, 0n, 0n])).wait();
    expect(receipt.logs).toHaveLength(3);
    for (const d of days) expect((await fn(L.ledger, 'regionAnchor')(OTHER_REGION, d)).root).toBe(root(d));
    expect(await revertName(fn(L.ledger, 'anchorRegionDays')(OTHER_REGION, [DAY0 + 20], [root(1)], [], [1n], [1n]))).toBe('LengthMismatch');
  });

  it('refuses a per-meter anchor for a meter anchored through its region', async () => {
    const m = meterIdOf('REGION-METER-1');
    expect(await revertName(fn(L.ledger, 'anchorDay')(m, DAY0, root(9), 1n, 1n))).toBe('MeterAnchoredByRegion');
    // A meter without a region keeps the per-meter path (small operators).
    await (await fn(L.ledger, 'anchorDay')(L.meterId, DAY0 + 2, root(9), 1n, 1n)).wait();
    expect((await fn(L.ledger, 'operatorAnchor')(L.meterId, DAY0 + 2)).root).toBe(root(9));
  });
});
