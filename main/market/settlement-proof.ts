import { WattletError } from '../api/errors.js';
import { dayOf, formatDay } from '../ledger/day.js';
import { intervalOfLeaf, standardDayTree, type SaltedInterval } from '../ledger/tree/index.js';
import { DAY_SECONDS, INTERVAL_SECONDS } from './offer.js';

/** EnergyMarket.DayProof as the contract takes it: the window's leaves of one day, in multiproof order. */
export interface DayProof {
  readonly day: number;
  readonly leaves: readonly SaltedInterval[];
  readonly proof: readonly string[];
  readonly proofFlags: readonly boolean[];
}

export interface SettlementWindow {
  readonly meterId: string;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
}

/** Where the household's intervals come from: all of a day's anchored intervals with their salts. */
export type DayIntervals = (meterId: string, day: number) => Promise<readonly SaltedInterval[]>;
/** The operator's anchored root of a day (zero hash or null when none). */
export type AnchoredRoot = (meterId: string, day: number) => Promise<string | null>;

export function windowDays(w: SettlementWindow): number[] {
  const days: number[] = [];
  for (let d = dayOf(w.deliveryStart); d <= dayOf(w.deliveryEnd - 1); d++) days.push(d);
  return days;
}

/**
 * Rebuilds each day's tree from the household's intervals with the ledger's own leaf and tree (the
 * tree the operator anchored and a household verifies; leaf order does not matter, leaves are
 * sorted by hash) and takes a multiproof of the window's intervals. When the anchored root is known, a mismatch fails here, before any gas is spent.
 */
export async function buildSettlementProofs(
  w: SettlementWindow,
  intervalsOf: DayIntervals,
  anchoredRoot?: AnchoredRoot,
): Promise<DayProof[]> {
  const out: DayProof[] = [];
  for (const day of windowDays(w)) {
    const all = await intervalsOf(w.meterId, day);
    if (all.length === 0) {
      throw new WattletError('MARKET_INTERVALS_MISSING', `No intervals for day ${day}`, { day, date: formatDay(day), meterId: w.meterId });
    }
    const tree = standardDayTree(w.meterId, all);
    if (anchoredRoot) {
      const root = await anchoredRoot(w.meterId, day);
      if (!root || /^0x0+$/.test(root)) {
        throw new WattletError('MARKET_NOT_ANCHORED', `Day ${day} is not anchored yet`, { day, date: formatDay(day), meterId: w.meterId });
      }
      if (root.toLowerCase() !== tree.root.toLowerCase()) {
        throw new WattletError('MARKET_PROOF_ROOT_MISMATCH', `Intervals of day ${day} do not match the anchored root`, {
          day,
          date: formatDay(day),
          anchoredRoot: root,
          localRoot: tree.root,
        });
      }
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
    out.push({ day, leaves: mp.leaves.map(intervalOfLeaf), proof: mp.proof, proofFlags: mp.proofFlags });
  }
  return out;
}

/** The calldata shape of DayProof[] (struct field `seconds_`: `seconds` is a Solidity keyword). */
export function dayProofTuples(proofs: readonly DayProof[]): unknown[] {
  return proofs.map((p) => [
    p.day,
    p.leaves.map((l) => [l.start, l.seconds, l.importWh, l.exportWh, l.salt]),
    [...p.proof],
    [...p.proofFlags],
  ]);
}
