import type { IntervalHandover } from '../tree/handover.js';
import type { RegionPath } from '../tree/region-path.js';

/**
 * Where the household gets what the operator hands it for a meter-day (file, API, or this
 * process): the intervals with their salts, and, for a meter anchored through its region, the
 * meter-day leaf's path in the region's tree. Both untrusted: the verifier proves them.
 */
export interface HandoverSource {
  handover(meterId: string, day: number): Promise<IntervalHandover | null>;
  /** Null for a meter anchored per meter, or a day not handed over. */
  regionPath(meterId: string, day: number): Promise<RegionPath | null>;
}
