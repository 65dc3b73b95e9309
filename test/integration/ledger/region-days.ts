import { solidityPackedKeccak256, type Contract } from 'ethers';
import { officialDay } from '../../../main/ledger/operator/official-day.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import type { IntervalHandover } from '../../../main/ledger/tree/handover.js';
import type { RegionPath } from '../../../main/ledger/tree/region-path.js';
import { buildRegionTree, RegionPartition, type RegionTree } from '../../../main/ledger/tree/region-tree.js';
import { bytes } from '../../../main/ledger/verify/bytes.js';

/**
 * An operator anchoring whole regions on a real EnergyLedger, written out for the verifier's
 * tests from the shared parts (the official day and its salts, tree/region-tree.ts, the
 * contract's anchorRegionDay): every meter's day tree, the region's tree over their meter-day
 * leaves, one anchor per region and day. `skew` lets a test make the operator anchor a leaf whose
 * totals are not its intervals' sum (an operator's error the household must catch).
 */
export interface RegionDay {
  readonly tree: RegionTree;
  handover(meterId: string): IntervalHandover;
  path(meterId: string): RegionPath;
}

const SECRET = '0x' + '7e'.repeat(32);
const source = syntheticReadingSource(11);

export async function registerRegion(ledger: Contract, regionId: string, meterIds: readonly string[], owner: string): Promise<void> {
  const tx = await ledger.getFunction('registerMetersInRegion')(meterIds, meterIds.map(() => owner), regionId);
  await tx.wait();
}

export async function anchorRegionDay(
  ledger: Contract,
  regionId: string,
  day: number,
  meterIds: readonly string[],
  skew?: { meterId: string; importWh: bigint },
): Promise<RegionDay> {
  const handovers = new Map<string, IntervalHandover>();
  const partition = new RegionPartition(day, meterIds.length);
  for (const meterId of meterIds) {
    const h = officialDay({ meterId, day, readings: await source.intervals(meterId, day), secret: SECRET });
    handovers.set(meterId.toLowerCase(), h);
    const salt = solidityPackedKeccak256(['bytes32', 'bytes32', 'uint32'], [SECRET, meterId, day]);
    const extra = skew && skew.meterId.toLowerCase() === meterId.toLowerCase() ? skew.importWh : 0n;
    partition.add(bytes(meterId), bytes(h.root), BigInt(h.importWh) + extra, BigInt(h.exportWh), bytes(salt));
  }
  const tree = buildRegionTree(regionId, day, [partition]);
  const tx = await ledger.getFunction('anchorRegionDay')(regionId, day, tree.root, tree.meters, tree.importWh, tree.exportWh);
  await tx.wait();
  return {
    tree,
    handover: (m) => handovers.get(m.toLowerCase())!,
    path: (m) => tree.path(m)!,
  };
}
