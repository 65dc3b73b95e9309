import { z } from 'zod';

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const decimal = z.string().regex(/^\d{1,20}$/);

/**
 * What the operator hands the household for one meter and day (a JSON file or its API): the
 * official intervals with their salts, and each interval's proof under the anchored root.
 * Untrusted input: the verifier proves every interval against the root it reads from the chain.
 */
export const handoverIntervalSchema = z.object({
  start: z.number().int().nonnegative(),
  seconds: z.number().int().positive().max(0xffff_ffff),
  importWh: decimal,
  exportWh: decimal,
  salt: hex32,
  proof: z.array(hex32).max(64).optional(),
});

export const intervalHandoverSchema = z.object({
  format: z.literal('wattlet.intervals/1'),
  meterId: hex32,
  day: z.number().int().nonnegative(),
  root: hex32,
  importWh: decimal,
  exportWh: decimal,
  intervals: z.array(handoverIntervalSchema).min(1).max(10_000),
});

export type HandoverInterval = z.infer<typeof handoverIntervalSchema>;
export type IntervalHandover = z.infer<typeof intervalHandoverSchema>;
