import { z } from 'zod';

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const decimal = z.string().regex(/^\d{1,20}$/);

/**
 * What the household fetches by its meter id for one day (from the operator's region store, or
 * as a file beside its interval handover): its meter-day leaf in the region's tree and the
 * sibling hashes up to the region-day root. Untrusted input: the verifier proves the leaf under
 * the root it reads from the chain's storage, and the interval handover's root must equal
 * `meterDayRoot`.
 */
export const regionPathSchema = z.object({
  format: z.literal('wattlet.region-path/1'),
  regionId: hex32,
  day: z.number().int().nonnegative().max(0xffff_ffff),
  /** The region-day root the path leads to (the operator's word; the chain's is proven). */
  regionRoot: hex32,
  /** Leaves in the region's tree, as the operator claims (the anchor stores the proven count). */
  meters: z.number().int().positive(),
  meterId: hex32,
  meterDayRoot: hex32,
  importWh: decimal,
  exportWh: decimal,
  salt: hex32,
  /** Sibling hashes from the meter-day leaf up to the region-day root. */
  path: z.array(hex32).max(64),
});

export type RegionPath = z.infer<typeof regionPathSchema>;
