import { WattletError } from '../api/errors.js';
import { dayOf, formatDay } from '../ledger/day.js';
import { intervalOfLeaf, processProof, regionLeafHash, standardDayTree, type RegionPath, type SaltedInterval } from '../ledger/tree/index.js';
import { hex } from '../ledger/verify/bytes.js';
import { DAY_SECONDS, INTERVAL_SECONDS } from './offer.js';

/**
 * EnergyMarket.RegionPath: the meter-day leaf and its path under the region-day root (meter id
 * and day are the offer's and the DayProof's, so the contract hashes them in itself).
 */
export interface RegionProof {
  readonly regionId: string;
  readonly meterDayRoot: string;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly salt: string;
  readonly path: readonly string[];
}

/**
 * EnergyMarket.DayProof as the contract takes it: the window's leaves of one day, in multiproof
 * order, under the meter-day root; `region` proves that root under the region-day root (null:
 * the meter's day is anchored per meter).
 */
export interface DayProof {
  readonly day: number;
  readonly leaves: readonly SaltedInterval[];
  readonly proof: readonly string[];
  readonly proofFlags: readonly boolean[];
  readonly region: RegionProof | null;
}

export interface SettlementWindow {
  readonly meterId: string;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
}

/** Where the household's intervals come from: all of a day's anchored intervals with their salts. */
export type DayIntervals = (meterId: string, day: number) => Promise<readonly SaltedInterval[]>;

/**
 * Where the chain anchors a meter's day: per meter (`regionId` null, `root` the meter-day root) or
 * in its region (`root` the region-day root). Null when the day is not anchored.
 */
export interface DayAnchorRef {
  readonly regionId: string | null;
  readonly root: string;
}
export type AnchoredRoot = (meterId: string, day: number) => Promise<DayAnchorRef | null>;

/** The household's path in its region's tree for a day, as the operator handed it over. */
export type DayRegionPath = (meterId: string, day: number) => Promise<RegionPath | null>;

const ZERO_REGION = '0x' + '00'.repeat(32);

export function windowDays(w: SettlementWindow): number[] {
  const days: number[] = [];
  for (let d = dayOf(w.deliveryStart); d <= dayOf(w.deliveryEnd - 1); d++) days.push(d);
  return days;
}

/**
 * Rebuilds each day's tree from the household's intervals with the ledger's own leaf and tree (the
 * tree the operator anchored and a household verifies; leaf order does not matter, leaves are
 * sorted by hash) and takes a multiproof of the window's intervals. A meter anchored in a region
 * adds its region path (`regionPaths`), whose meter-day root must be the rebuilt root. When the
 * chain's anchor is known (`anchoredRoot`), a mismatch at either level fails here, before any gas
 * is spent; the contract checks both levels again.
 */
export async function buildSettlementProofs(
  w: SettlementWindow,
  intervalsOf: DayIntervals,
  anchoredRoot?: AnchoredRoot,
  regionPaths?: DayRegionPath,
): Promise<DayProof[]> {
  const out: DayProof[] = [];
  for (const day of windowDays(w)) {
    const all = await intervalsOf(w.meterId, day);
    if (all.length === 0) {
      throw new WattletError('MARKET_INTERVALS_MISSING', `No intervals for day ${day}`, { day, date: formatDay(day), meterId: w.meterId });
    }
    const tree = standardDayTree(w.meterId, all);
    const anchor = anchoredRoot ? await anchoredRoot(w.meterId, day) : undefined;
    if (anchor === null) {
      throw new WattletError('MARKET_NOT_ANCHORED', `Day ${day} is not anchored yet`, { day, date: formatDay(day), meterId: w.meterId });
    }
    const path = regionPaths && (anchor === undefined || anchor.regionId) ? await regionPaths(w.meterId, day) : null;
    let region: RegionProof | null = null;
    if (anchor?.regionId || path) {
      if (!path) {
        throw new WattletError('MARKET_INTERVALS_MISSING', `No region path for day ${day}`, { day, date: formatDay(day), meterId: w.meterId, missing: 'region path' });
      }
      region = regionProofOf(w.meterId, day, tree.root, path, anchor);
    } else if (anchor && anchor.root.toLowerCase() !== tree.root.toLowerCase()) {
      throw mismatch(day, anchor.root, tree.root);
    }
    const from = Math.max(w.deliveryStart, day * DAY_SECONDS);
    const to = Math.min(w.deliveryEnd, (day + 1) * DAY_SECONDS);
    const indexes: number[] = [];
    const found = new Set<number>();
    for (const [i, v] of tree.entries()) {
      const start = Number(v[1]);
      if (start >= from && start < to && !found.has(start)) {
        indexes.push(i);
        found.add(start);
      }
    }
    const expected = (to - from) / INTERVAL_SECONDS;
    if (found.size !== expected) {
      throw new WattletError('MARKET_INTERVALS_MISSING', `Day ${day} lacks ${expected - found.size} window intervals`, {
        day,
        date: formatDay(day),
        meterId: w.meterId,
        missing: expected - found.size,
      });
    }
    const mp = tree.getMultiProof(indexes);
    out.push({ day, leaves: mp.leaves.map(intervalOfLeaf), proof: mp.proof, proofFlags: mp.proofFlags, region });
  }
  return out;
}

function mismatch(day: number, anchoredRoot: string, localRoot: string): WattletError {
  return new WattletError('MARKET_PROOF_ROOT_MISMATCH', `Intervals of day ${day} do not match the anchored root`, {
    day,
    date: formatDay(day),
    anchoredRoot,
    localRoot,
  });
}

/**
 * The day's region proof from the operator's path: for this meter and day, over the intervals'
 * own root, and (when the chain's anchor is known) leading to the region-day root anchored for
 * the meter's registered region.
 */
function regionProofOf(meterId: string, day: number, meterDayRoot: string, p: RegionPath, anchor: DayAnchorRef | undefined): RegionProof {
  if (p.meterId.toLowerCase() !== meterId.toLowerCase() || p.day !== day) {
    throw new WattletError('MARKET_INTERVALS_MISSING', `The region path is for another meter or day than ${day}`, { day, date: formatDay(day), meterId, missing: 'region path' });
  }
  if (p.meterDayRoot.toLowerCase() !== meterDayRoot.toLowerCase()) throw mismatch(day, p.meterDayRoot, meterDayRoot);
  const proof: RegionProof = {
    regionId: p.regionId,
    meterDayRoot: p.meterDayRoot,
    importWh: BigInt(p.importWh),
    exportWh: BigInt(p.exportWh),
    salt: p.salt,
    path: p.path,
  };
  if (anchor) {
    const reached = hex(processProof(regionLeafHash({ meterId, day, root: p.meterDayRoot, importWh: proof.importWh, exportWh: proof.exportWh, salt: p.salt }), p.path));
    if (anchor.regionId?.toLowerCase() !== p.regionId.toLowerCase() || reached !== anchor.root.toLowerCase()) throw mismatch(day, anchor.root, reached);
  }
  return proof;
}

/** The calldata shape of DayProof[] (struct field `seconds_`: `seconds` is a Solidity keyword). */
export function dayProofTuples(proofs: readonly DayProof[]): unknown[] {
  return proofs.map((p) => [
    p.day,
    p.leaves.map((l) => [l.start, l.seconds, l.importWh, l.exportWh, l.salt]),
    [...p.proof],
    [...p.proofFlags],
    p.region
      ? [p.region.regionId, p.region.meterDayRoot, p.region.importWh, p.region.exportWh, p.region.salt, [...p.region.path]]
      : [ZERO_REGION, ZERO_REGION, 0n, 0n, ZERO_REGION, []],
  ]);
}
