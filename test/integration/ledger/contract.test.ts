import { AbiCoder, keccak256, toUtf8Bytes, type Contract, type ContractTransactionResponse } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { energyLedgerAt, energyLedgerInterface } from '../../../main/ledger/chain/ledger-contract.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { anchorSlots, decodeTotals, ownerSlot, STORAGE_BASE } from '../../../main/ledger/verify/anchor-slots.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';

let L: LocalLedger;
let asHousehold: Contract;
let asStranger: Contract;
const root = (n: number) => keccak256(toUtf8Bytes(`root ${n}`));

beforeAll(async () => {
  L = await startLocalLedger();
  asHousehold = energyLedgerAt(L.address, L.household);
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

describe('EnergyLedger on a Hardhat network', () => {
  it('keeps its ERC-7201 base slot where the formula puts it', async () => {
    const h = BigInt(keccak256(toUtf8Bytes('wattlet.storage.EnergyLedger'))) - 1n;
    const base = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(['uint256'], [h]))) & ~0xffn;
    expect(base).toBe(STORAGE_BASE);
    expect(BigInt(await fn(L.ledger, 'STORAGE_BASE')())).toBe(STORAGE_BASE);
  });

  it('lets only the operator register meters, and records the owner at the documented slot', async () => {
    const m = meterIdOf('METER-2');
    expect(await revertName(fn(asStranger, 'registerMeter')(m, L.stranger.address))).toBe('AccessControlUnauthorizedAccount');
    const tx = await fn(L.ledger, 'registerMeter')(m, L.stranger.address);
    const receipt = await tx.wait();
    const log = energyLedgerInterface.parseLog(receipt.logs[0]);
    expect(log?.name).toBe('MeterRegistered');
    expect(log?.args[1]).toBe(L.stranger.address);
    expect(await fn(L.ledger, 'meterOwner')(m)).toBe(L.stranger.address);
    const word = await L.provider.getStorage(L.address, ownerSlot(m));
    expect(BigInt(word)).toBe(BigInt(L.stranger.address));
  });

  it('anchors a closed day once, with its event, at the documented slots', async () => {
    const tx = await fn(L.ledger, 'anchorDay')(L.meterId, DAY0, root(1), 12_345n, 678n);
    const receipt = await tx.wait();
    const log = energyLedgerInterface.parseLog(receipt.logs[0]);
    expect(log?.name).toBe('DayAnchored');
    expect([log?.args[0], Number(log?.args[1]), log?.args[2], log?.args[3], log?.args[4]]).toEqual([L.meterId, DAY0, root(1), 12_345n, 678n]);
    const slots = anchorSlots('operator', L.meterId, DAY0);
    expect(await L.provider.getStorage(L.address, slots.root)).toBe(root(1));
    const totals = decodeTotals(BigInt(await L.provider.getStorage(L.address, slots.totals)));
    const block = await L.provider.getBlock(receipt.blockNumber);
    expect(totals).toEqual({ importWh: 12_345n, exportWh: 678n, anchoredAt: BigInt(block!.timestamp) });
    const a = await fn(L.ledger, 'operatorAnchor')(L.meterId, DAY0);
    expect([a.root, a.importWh, a.exportWh]).toEqual([root(1), 12_345n, 678n]);
    expect(await revertName(fn(L.ledger, 'anchorDay')(L.meterId, DAY0, root(2), 1n, 1n))).toBe('AlreadyAnchored');
    expect(await L.provider.getStorage(L.address, slots.root)).toBe(root(1));
  });

  it('refuses anchors from others, for unknown meters, zero roots and days not yet closed', async () => {
    expect(await revertName(fn(asStranger, 'anchorDay')(L.meterId, DAY0 + 1, root(3), 1n, 1n))).toBe('AccessControlUnauthorizedAccount');
    expect(await revertName(fn(asHousehold, 'anchorDay')(L.meterId, DAY0 + 1, root(3), 1n, 1n))).toBe('AccessControlUnauthorizedAccount');
    expect(await revertName(fn(L.ledger, 'anchorDay')(meterIdOf('nobody'), DAY0 + 1, root(3), 1n, 1n))).toBe('MeterUnknown');
    expect(await revertName(fn(L.ledger, 'anchorDay')(L.meterId, DAY0 + 1, '0x' + '00'.repeat(32), 1n, 1n))).toBe('ZeroRoot');
    const today = Math.floor(Date.now() / 86_400_000);
    expect(await revertName(fn(L.ledger, 'anchorDay')(L.meterId, today, root(3), 1n, 1n))).toBe('DayInFuture');
    expect(await revertName(fn(L.ledger, 'anchorDay')(L.meterId, 0xffff_ffff, root(3), 1n, 1n))).toBe('DayInFuture');
  });

  it('anchors a batch of days and refuses mismatched lists', async () => {
    const days = [DAY0 + 10, DAY0 + 11, DAY0 + 12];
    const tx = await fn(L.ledger, 'anchorDays')(L.meterId, days, days.map(root), [1n, 2n, 3n], [4n, 5n, 6n]);
    const receipt = await tx.wait();
    expect(receipt.logs.map((l: { topics: string[]; data: string }) => energyLedgerInterface.parseLog(l)?.name)).toEqual(['DayAnchored', 'DayAnchored', 'DayAnchored']);
    expect((await fn(L.ledger, 'operatorAnchor')(L.meterId, DAY0 + 12)).root).toBe(root(DAY0 + 12));
    expect(await revertName(fn(L.ledger, 'anchorDays')(L.meterId, [DAY0 + 20], [], [1n], [1n]))).toBe('LengthMismatch');
  });

  it("lets only the meter's owner attest, once, in its own slots", async () => {
    expect(await revertName(fn(asStranger, 'attestDay')(L.meterId, DAY0, root(9), 1n, 2n))).toBe('CallerNotMeterOwner');
    expect(await revertName(fn(L.ledger, 'attestDay')(L.meterId, DAY0, root(9), 1n, 2n))).toBe('CallerNotMeterOwner');
    const receipt = await (await fn(asHousehold, 'attestDay')(L.meterId, DAY0, root(9), 11n, 22n)).wait();
    const log = energyLedgerInterface.parseLog(receipt.logs[0]);
    expect(log?.name).toBe('DayAttested');
    expect(log?.args[2]).toBe(L.household.address);
    const slots = anchorSlots('attested', L.meterId, DAY0);
    expect(await L.provider.getStorage(L.address, slots.root)).toBe(root(9));
    expect(decodeTotals(BigInt(await L.provider.getStorage(L.address, slots.totals))).exportWh).toBe(22n);
    // The operator's anchor for the same day is untouched by the household's attestation.
    expect((await fn(L.ledger, 'operatorAnchor')(L.meterId, DAY0)).root).toBe(root(1));
    expect(await revertName(fn(asHousehold, 'attestDay')(L.meterId, DAY0, root(10), 1n, 2n))).toBe('AlreadyAttested');
  });
});
