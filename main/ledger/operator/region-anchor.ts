import type { Contract } from 'ethers';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';

/** What goes on chain for one region-day (a built RegionTree has all of it). */
export interface RegionDayAnchor {
  readonly regionId: string;
  readonly day: number;
  readonly root: string;
  readonly meters: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
}

export interface RegionAnchorOutcome {
  /** Days anchored by this call. */
  readonly anchored: number[];
  /** Days already anchored with the same root (a resumed run): nothing to do. */
  readonly already: number[];
  /** Gas of the transactions this call sent. */
  readonly gasUsed: bigint;
  readonly transactions: number;
}

/** Region-days per anchorRegionDays transaction: ~50k gas each keeps a batch far below a block. */
const BATCH = 60;
const ZERO = '0x' + '00'.repeat(32);

/**
 * Anchors region-days on EnergyLedger (a signer with OPERATOR_ROLE), one transaction per batch of
 * a region's days. Idempotent, so a run killed after its transaction can be run again: a day
 * already anchored with the same root is skipped; with another root it is refused before any gas
 * is spent (LEDGER_REGION_ANCHOR_FINAL: anchors are final, the contract would refuse it too).
 */
export async function anchorRegionDays(contract: Contract, anchors: readonly RegionDayAnchor[]): Promise<RegionAnchorOutcome> {
  const todo: RegionDayAnchor[] = [];
  const already: number[] = [];
  for (const a of anchors) {
    const existing = await contract.getFunction('regionAnchor')(a.regionId, a.day);
    const root = String(existing.root).toLowerCase();
    if (root === ZERO) todo.push(a);
    else if (root === a.root.toLowerCase()) already.push(a.day);
    else {
      throw new WattletError('LEDGER_REGION_ANCHOR_FINAL', `Region ${a.regionId} is already anchored for ${formatDay(a.day)} with another root`, {
        regionId: a.regionId,
        date: formatDay(a.day),
        anchoredRoot: root,
        root: a.root,
      });
    }
  }
  let gasUsed = 0n;
  let transactions = 0;
  const byRegion = new Map<string, RegionDayAnchor[]>();
  for (const a of todo) byRegion.set(a.regionId.toLowerCase(), [...(byRegion.get(a.regionId.toLowerCase()) ?? []), a]);
  for (const [regionId, list] of byRegion) {
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = list.slice(i, i + BATCH);
      try {
        const tx =
          batch.length === 1
            ? await contract.getFunction('anchorRegionDay')(regionId, batch[0]!.day, batch[0]!.root, BigInt(batch[0]!.meters), batch[0]!.importWh, batch[0]!.exportWh)
            : await contract.getFunction('anchorRegionDays')(
                regionId,
                batch.map((a) => a.day),
                batch.map((a) => a.root),
                batch.map((a) => BigInt(a.meters)),
                batch.map((a) => a.importWh),
                batch.map((a) => a.exportWh),
              );
        const receipt = await tx.wait();
        gasUsed += BigInt(receipt?.gasUsed ?? 0n);
        transactions++;
      } catch (e) {
        throw new WattletError('LEDGER_TX_FAILED', `Anchoring ${batch.length} region-day(s) failed`, { regionId, firstDay: formatDay(batch[0]!.day) }, { cause: e });
      }
    }
  }
  return { anchored: todo.map((a) => a.day), already, gasUsed, transactions };
}
