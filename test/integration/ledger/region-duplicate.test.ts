import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hexlify, randomBytes } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { meterDaySalt, officialDay } from '../../../main/ledger/operator/official-day.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { fetchDayEvidence } from '../../../main/ledger/rpc/day-evidence.js';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { REGION_LEAF_TYPES, regionLeafValue, type MeterDay } from '../../../main/ledger/tree/region-leaf.js';
import type { RegionPath } from '../../../main/ledger/tree/region-path.js';
import { buildRegionTree, RegionPartition } from '../../../main/ledger/tree/region-tree.js';
import { bytes } from '../../../main/ledger/verify/bytes.js';
import { verifyDay } from '../../../main/ledger/verify/verify-day.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';

// A meter twice in a region's tree (issue 16): the contract stores only the root, so it cannot
// see it; the operator's tool refuses to build such a tree; a household handed the leaf that is
// not its intervals' finds out (its intervals are not under that leaf's meter-day root).
let L: LocalLedger;
const REGION = meterIdOf('duplicate region');
const SECRET = '0x' + '41'.repeat(32);
const meters = [1, 2, 3, 4, 5].map((i) => meterIdOf(`DUP-${i}`));
const mine = meters[0]!;

beforeAll(async () => {
  L = await startLocalLedger();
  await (await L.ledger.getFunction('registerMetersInRegion')(meters, meters.map(() => L.household.address), REGION)).wait();
});
afterAll(async () => L?.dispose());

describe('a meter twice in a region tree', () => {
  it('is refused by the tree builder, naming the meter', async () => {
    const source = syntheticReadingSource(3);
    const p = new RegionPartition(DAY0);
    for (const m of [...meters, mine]) {
      const h = officialDay({ meterId: m, day: DAY0, readings: await source.intervals(m, DAY0), secret: SECRET });
      p.add(bytes(m), bytes(h.root), BigInt(h.importWh), BigInt(h.exportWh), bytes(meterDaySalt(SECRET, m, DAY0)));
    }
    let caught: unknown;
    try {
      buildRegionTree(REGION, DAY0, [p]);
    } catch (e) {
      caught = e;
    }
    expect(isError(caught, 'LEDGER_REGION_DUPLICATE_METER')).toBe(true);
    expect((caught as { facts: { meterId: string } }).facts.meterId).toBe(mine);
  });

  it('built behind the tool and anchored anyway, is caught by the household handed the other leaf', async () => {
    // An operator building its tree another way: my meter's true day, and a second leaf for it.
    const source = syntheticReadingSource(3);
    const days = new Map<string, ReturnType<typeof officialDay>>();
    const values: MeterDay[] = [];
    for (const m of meters) {
      const h = officialDay({ meterId: m, day: DAY0, readings: await source.intervals(m, DAY0), secret: SECRET });
      days.set(m, h);
      values.push({ meterId: m, day: DAY0, root: h.root, importWh: BigInt(h.importWh), exportWh: BigInt(h.exportWh), salt: meterDaySalt(SECRET, m, DAY0) });
    }
    const other: MeterDay = { ...values[0]!, root: hexlify(randomBytes(32)), importWh: 1n, salt: hexlify(randomBytes(32)) };
    values.push(other);
    const lib = StandardMerkleTree.of(values.map(regionLeafValue), [...REGION_LEAF_TYPES]);
    await (await L.ledger.getFunction('anchorRegionDay')(REGION, DAY0, lib.root, BigInt(values.length), 0n, 0n)).wait();

    const pathOf = (i: number): RegionPath => ({
      format: 'wattlet.region-path/1',
      regionId: REGION,
      day: DAY0,
      regionRoot: lib.root,
      meters: values.length,
      meterId: mine,
      meterDayRoot: values[i]!.root,
      importWh: values[i]!.importWh.toString(),
      exportWh: values[i]!.exportWh.toString(),
      salt: values[i]!.salt,
      path: lib.getProof(i),
    });
    const rpc = httpTransport(L.chain.url);
    const evidence = await fetchDayEvidence({ rpc, contract: L.address, meterId: mine, day: DAY0, minDepth: 0, regionId: REGION });
    const verify = (region: RegionPath) => verifyDay({ meterId: mine, day: DAY0, evidence, handover: days.get(mine)!, region, local: null, minDepth: 0, resolutionWh: 1n });

    // The other leaf is under the anchored root (the chain cannot tell), but my intervals are not under its root.
    const bad = await verify(pathOf(values.length - 1));
    expect(bad.ok).toBe(false);
    expect(bad.steps.find((s) => s.id === 'region')!.status).toBe('pass');
    expect(bad.steps.find((s) => s.id === 'leaves')).toMatchObject({ status: 'fail', code: 'PROOF_LEAF_NOT_UNDER_ROOT' });
    // My true leaf verifies: a duplicate cannot take my day away, only add a record a dispute shows.
    const good = await verify(pathOf(0));
    expect(good.ok).toBe(true);
  });
});
