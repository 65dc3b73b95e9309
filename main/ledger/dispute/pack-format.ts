import { z } from 'zod';
import { handoverIntervalSchema } from '../tree/handover.js';
import { pinnedCheckpointSchema } from '../verify/header-chain.js';

// The two portable files a household hands to a third party (isomorphic: the CLI verifies them
// on any machine, the window may too). Every value in them is evidence to re-prove, never a
// conclusion: no verdict is stored, the reader re-derives it.

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const decimal = z.string().regex(/^\d{1,20}$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The endpoint's answers for block B, as they came (verify-day.ts DayEvidence, JSON-safe). */
export const packEvidenceSchema = z.object({
  blockNumber: z.number().int().nonnegative(),
  block: z.unknown(),
  proof: z.unknown(),
  regionId: hex32.nullable(),
  head: z.number().int().nonnegative(),
  /** A second endpoint's hash of B: `url` is its host only. */
  second: z.object({ url: z.string().max(300), blockHash: z.string().nullable() }).nullable(),
});
export type PackEvidence = z.infer<typeof packEvidenceSchema>;

export const packChainSchema = z.object({ checkpoint: pinnedCheckpointSchema, headers: z.array(z.unknown()).max(100_000) });

export const DISPUTE_PACK_FORMAT = 'wattlet.dispute-pack/1';
export const INTERVAL_PROOF_FORMAT = 'wattlet.interval-proof/1';

/** What both files are about: one meter's day on one contract, and when the file was made. */
const fileSubject = {
  createdAt: z.string().max(40),
  meterId: hex32,
  day: z.number().int().nonnegative(),
  date,
  chainId: z.number().int().positive(),
  contract: address,
  minDepth: z.number().int().nonnegative(),
};
export type FileSubject = z.infer<z.ZodObject<typeof fileSubject>>;

/**
 * What a dispute pack's signature covers: the household's own meter intervals for the day, the
 * operator's intervals with salts and proofs as it handed them over (and its region path), the
 * endpoint's block B and EIP-1186 proofs (the anchor, the meter's region, and the meter's owner,
 * so a reader can tell the signer owned the meter at B), the headers to the pinned checkpoint.
 * Loose on purpose where the verifier re-checks form itself (block, proofs, operator files), so a
 * tampered value is refused by the step it breaks, not by a parse error that names nothing.
 */
export const disputePackBodySchema = z.object({
  format: z.literal(DISPUTE_PACK_FORMAT),
  ...fileSubject,
  resolutionWh: decimal,
  /** My meter's quarter-hours for the day (Wh as decimal text); null: none were recorded. */
  readings: z.array(z.object({ start: z.number().int(), seconds: z.number().int(), importWh: decimal, exportWh: decimal })).max(10_000).nullable(),
  /** The operator's file as handed over (wattlet.intervals/1), every proof filled in. */
  handover: z.unknown(),
  /** My meter-day's path in its region's tree (wattlet.region-path/1); null per meter. */
  regionPath: z.unknown(),
  evidence: packEvidenceSchema,
  /** eth_getProof(contract, [owners[meter]], B): whose key may sign for the meter. */
  ownerProof: z.unknown(),
  checkpoint: packChainSchema.nullable(),
});
export type DisputePackBody = z.infer<typeof disputePackBodySchema>;

export const disputePackSchema = z.object({
  format: z.literal(DISPUTE_PACK_FORMAT),
  body: z.unknown(),
  signature: z.object({
    signer: address,
    /** The text the household approved on the wallet's approval surface (personal_sign, EIP-191). */
    statement: z.string().max(4000),
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
  }),
});
export type DisputePack = z.infer<typeof disputePackSchema>;

/**
 * One quarter-hour disclosed (a sale's delivery, a bill line) and nothing else of the day: its
 * leaf values and salt, its path to the meter-day root, the meter-day leaf's path to the region
 * root (in a region: it carries the day's totals, as a per-meter anchor does in public storage),
 * the storage proof and header(s). Unsigned: the chain vouches for it, not the household.
 */
export const intervalProofSchema = z.object({
  format: z.literal(INTERVAL_PROOF_FORMAT),
  ...fileSubject,
  /** The quarter-hour's place in the day (0–95). */
  index: z.number().int().min(0).max(95),
  interval: handoverIntervalSchema.extend({ proof: z.array(hex32).max(64) }),
  /** The meter-day root the interval's path leads to (proven: the anchored root, or the region path's leaf). */
  meterDay: z.object({ root: hex32 }),
  regionPath: z.unknown(),
  evidence: packEvidenceSchema,
  checkpoint: packChainSchema.nullable(),
});
export type IntervalProof = z.infer<typeof intervalProofSchema>;
