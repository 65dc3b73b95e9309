import type { HandoverSource } from '../ledger/operator/index.js';
import { toProvenIntervals } from '../ledger/verify/verify-day.js';
import type { DayIntervals, DayRegionPath } from './settlement-proof.js';

/**
 * The seller's intervals for settlement, from the operator's handovers (file folder, API, or the demo
 * operator): the same values and salts the operator anchored. Nothing here is trusted: settlement
 * compares the rebuilt root with the anchored one before spending gas, and the contract re-checks.
 */
export function dayIntervalsFromHandovers(source: Pick<HandoverSource, 'handover'>): DayIntervals {
  return async (meterId, day) => {
    const h = await source.handover(meterId, day);
    return h ? toProvenIntervals(h) : [];
  };
}

/** The seller's region paths, from the same handovers (a meter anchored per meter has none). */
export function dayRegionPathsFromHandovers(source: Pick<HandoverSource, 'regionPath'>): DayRegionPath {
  return (meterId, day) => source.regionPath(meterId, day);
}
