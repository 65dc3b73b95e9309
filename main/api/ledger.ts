import { z } from 'zod';
import { channel, event } from './channel.js';
import { errorShape } from './errors.js';

// The ledger domain: the EnergyLedger connection, the days the operator anchored, the household's
// step-by-step verification (LEDGER.md checks 1–3) and its own attestations.

export const ledgerErrorCodes = [
  'LEDGER_NOT_CONFIGURED', // no RPC URL / contract address in Settings (live mode)
  'LEDGER_RPC_UNREACHABLE',
  'LEDGER_RPC_TIMEOUT',
  'LEDGER_RPC_ERROR', // the node answered a JSON-RPC error
  'LEDGER_RPC_INVALID_ANSWER', // the node answered something of the wrong shape
  'LEDGER_CHAIN_START_FAILED', // demo mode: the local Hardhat network did not start
  'LEDGER_CONTRACT_MISSING', // no contract code at the configured address
  'LEDGER_NO_ANCHOR', // the operator has not anchored the day (proven absent)
  'LEDGER_NO_INTERVALS', // the operator has not handed over the day's intervals
  'LEDGER_NO_LOCAL_READINGS', // my meter has no readings for the day
  'LEDGER_INTERVALS_UNREADABLE', // an interval file that cannot be read or parsed
  'LEDGER_DAY_NOT_CLOSED',
  'LEDGER_NOT_METER_OWNER', // attest: the wallet does not own the meter
  'LEDGER_ALREADY_ATTESTED',
  'LEDGER_NO_SIGNER', // attest: no wallet to sign with
  'LEDGER_TX_FAILED',
  'LEDGER_JOB_UNKNOWN',
  'LEDGER_NO_REGION_PATH', // a meter anchored through its region: the operator has not handed over its region path
  'LEDGER_REGION_EMPTY', // operator: a region-day with no meter files
  'LEDGER_REGION_DUPLICATE_METER', // operator: a meter twice in one region-day tree
  'LEDGER_REGION_METER_NOT_IN_REGION', // operator: a meter file for a meter not registered in the region
  'LEDGER_REGION_WRONG_DAY', // operator: a meter file of another meter or day than the folder and --day say
  'LEDGER_REGION_ROOT_MISMATCH', // operator: a meter file whose intervals do not build its root
  'LEDGER_REGION_ANCHOR_FINAL', // operator: the region-day is anchored with another root; anchors are final
  'PROOF_READINGS_DIFFER',
  'PROOF_LEAF_NOT_UNDER_ROOT',
  'PROOF_ACCOUNT_MISMATCH',
  'PROOF_STORAGE_MISMATCH',
  'PROOF_HEADER_HASH',
  'PROOF_HEADER_FORK',
  'PROOF_UNKNOWN_HEADER_FIELD',
  'PROOF_BLOCK_MISMATCH',
  'PROOF_BLOCK_TOO_SHALLOW',
  'PROOF_ENDPOINTS_DISAGREE',
  'PROOF_REGION_PATH', // the meter-day leaf is not under the region-day root (a forged or another meter's path)
  'PROOF_REGION_MISMATCH', // the meter is not registered (at block B, proven) in the region the path names
  'PROOF_WRONG_DAY', // a region path or interval file for another day
  'PROOF_DAY_TOTALS', // the intervals do not cover the day or do not add up to the day's anchored totals (the meter-day leaf's in a region)
  'LEDGER_NO_CHECKPOINT', // no checkpoint is pinned: block B rests on the endpoint's word (the checkpoint step is skipped)
  'LEDGER_CHECKPOINT_INVALID', // a checkpoint line or file that names no block number and hash
  'LEDGER_CHECKPOINT_MISMATCH', // block B and the pinned checkpoint are not on one chain (or it is another chain's)
  'LEDGER_HEADER_CHAIN_BROKEN', // a header between the checkpoint and B does not hash to its hash or name its parent
  'LEDGER_HEADER_CHAIN_TOO_LONG', // more headers between the checkpoint and B than are fetched: pin a newer checkpoint
  'LEDGER_EXPORT_CANCELLED', // the person closed the save dialog of a dispute pack or interval proof
  'LEDGER_EXPORT_WRITE_FAILED', // the chosen file could not be written
  'PACK_MALFORMED', // a dispute pack or interval proof file that is not one (wattlet ledger verify --pack / --interval-proof)
  'PACK_SIGNATURE', // a dispute pack altered after it was signed, or signed by another key than it names
  'PACK_SIGNER_NOT_OWNER', // a dispute pack signed by a key that did not own the meter at block B (proven)
] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const wh = z.string().regex(/^\d+$/); // decimal string: energy crosses JSON as text

export const ledgerStatusSchema = z.object({
  state: z.enum(['connected', 'unreachable', 'not-configured', 'starting']),
  mode: z.enum(['demo', 'live']),
  rpcUrl: z.string().nullable(),
  chainId: z.number().int().nullable(),
  contract: address.nullable(),
  head: z.number().int().nullable(),
  meterId: hex32.nullable(),
  /** The household's wallet address the meter is registered to, when known. */
  owner: address.nullable(),
  minDepth: z.number().int().nonnegative(),
  error: errorShape.nullable(),
});
export type LedgerStatus = z.infer<typeof ledgerStatusSchema>;

export const dayStatusSchema = z.object({
  day: z.number().int(),
  date,
  /** verified: every check passed; pending: anchored, not yet verified (or not closed yet);
   *  missing: closed but not anchored; differs: my meter differs; failed: a proof failed. */
  status: z.enum(['verified', 'pending', 'missing', 'differs', 'failed']),
  root: hex32.nullable(),
  importWh: wh.nullable(),
  exportWh: wh.nullable(),
  attested: z.boolean(),
});
export type DayStatus = z.infer<typeof dayStatusSchema>;

export const comparisonSchema = z.object({ subject: z.string(), expected: z.string(), actual: z.string(), ok: z.boolean() });
export const verifyStepSchema = z.object({
  id: z.enum(['readings', 'leaves', 'region', 'anchor', 'header', 'checkpoint', 'finality']),
  status: z.enum(['pass', 'fail', 'skipped']),
  code: z.string().nullable(),
  message: z.string(),
  comparisons: z.array(comparisonSchema),
});
export const dayReportSchema = z.object({
  meterId: hex32,
  day: z.number().int(),
  date,
  contract: z.string(),
  chainId: z.number().int(),
  block: z.object({ number: z.number().int(), hash: z.string() }).nullable(),
  interval: z.number().int().nullable(),
  /** region: two Merkle levels under one anchor per (region, day); meter: the day root anchored per meter. */
  design: z.enum(['region', 'meter']),
  /** The meter's region (proven registration) and the meter count its day anchor stores. */
  region: z.object({ id: hex32, meters: wh.nullable() }).nullable(),
  /** The checkpoint the household pinned, when B was checked against it; `relation`: how B stands to it. */
  checkpoint: z
    .object({
      number: z.number().int(),
      hash: hex32,
      pinnedAt: date,
      source: z.object({ kind: z.enum(['bill', 'file', 'rpc']), label: z.string() }),
      relation: z.enum(['at', 'ancestor', 'descendant']).nullable(),
    })
    .nullable()
    .optional(),
  ok: z.boolean(),
  steps: z.array(verifyStepSchema),
});
export type DayReportDto = z.infer<typeof dayReportSchema>;

/** A checkpoint the household pinned (main/ledger/verify/header-chain.ts), as the window sees it. */
export const checkpointSchema = z.object({
  chainId: z.number().int().positive().nullable(),
  number: z.number().int().nonnegative(),
  hash: hex32,
  pinnedAt: date,
  source: z.object({ kind: z.enum(['bill', 'file', 'rpc']), label: z.string().max(200) }),
});
export type CheckpointDto = z.infer<typeof checkpointSchema>;

export const rangeSummarySchema = z.object({
  jobId: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  verified: z.number().int(),
  differs: z.number().int(),
  failed: z.number().int(),
  missing: z.number().int(),
  cancelled: z.boolean(),
  durationMs: z.number().int(),
  /** Dates that did not verify, with the first failing step's code. */
  problems: z.array(z.object({ date, code: z.string().nullable() })),
});
export type RangeSummary = z.infer<typeof rangeSummarySchema>;

const jobId = z.string().min(1).max(64);

/**
 * The raw evidence main verified a day on, handed to the window so it re-derives the verdict
 * itself (LEDGER.md "What the household's window checks itself"): the endpoint's JSON answers as
 * they came (block, EIP-1186 proof), the operator's file and region path as handed over, my
 * meter's intervals. Nothing here is a conclusion except `report` (main's, a second opinion) and
 * `trust` (what main says the header hash rests on). Extra fields (a checkpoint, a header chain)
 * pass through untouched so the window's verifier sees what main's saw.
 */
export const dayEvidenceSchema = z
  .object({
    chainId: z.number().int(),
    contract: address,
    blockNumber: z.number().int().nonnegative(),
    /** eth_getBlockByNumber(B, false) as the endpoint answered it. */
    block: z.unknown(),
    /** eth_getProof(contract, slots, B) as the endpoint answered it. */
    proof: z.unknown(),
    regionId: hex32.nullable().optional(),
    head: z.number().int().nonnegative(),
    /** The second endpoint's hash of B; `url` is its host only (a URL may carry an API key). */
    second: z.object({ url: z.string(), blockHash: z.string().nullable() }).optional(),
  })
  .passthrough();

export const headerTrustSchema = z.object({
  /** one-endpoint: B's hash is the endpoint's word; two-endpoints: a second one gave the same hash; checkpoint: a pinned checkpoint. */
  kind: z.enum(['one-endpoint', 'two-endpoints', 'checkpoint']),
  /** The endpoints' hosts (never a full URL: it may carry an API key). */
  hosts: z.array(z.string()),
  /** The checkpoint's own words when there is one ("printed on your November bill"). */
  text: z.string().nullable(),
});
export type HeaderTrust = z.infer<typeof headerTrustSchema>;

export const handedEvidenceSchema = z.object({
  meterId: hex32,
  date,
  interval: z.number().int().min(0).max(95).nullable(),
  evidence: dayEvidenceSchema,
  /** The operator's intervals with salts as handed over (wattlet.intervals/1), unparsed; null: none. */
  handover: z.unknown(),
  /** My meter-day's region path as handed over (wattlet.region-path/1), unparsed; null: none. */
  regionPath: z.unknown(),
  /** My meter's intervals for the day; null: none. */
  local: z.array(z.object({ start: z.number().int(), seconds: z.number().int(), importWh: wh, exportWh: wh })).nullable(),
  minDepth: z.number().int().nonnegative(),
  resolutionWh: wh,
  trust: headerTrustSchema,
  /** Main's verdict on exactly this evidence. */
  report: dayReportSchema,
});
export type HandedEvidence = z.infer<typeof handedEvidenceSchema>;

export const ledgerChannels = {
  'ledger.status': channel({
    doc: 'Connection to the ledger: state, chain id, contract, head block, the meter and its owner.',
    request: z.object({}),
    response: ledgerStatusSchema,
    errors: [],
  }),
  'ledger.days': channel({
    doc: "Each day of a range with its status against the operator's anchors and my meter.",
    request: z.object({ from: date, to: date }),
    response: z.object({
      meterId: hex32,
      days: z.array(dayStatusSchema),
      /** Seconds after a day's end the operator usually anchors it (median of the newest anchors); null: unknown. */
      usualAnchorDelay: z.number().int().nonnegative().nullable().optional(),
    }),
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.verifyDay': channel({
    doc: 'Verify one day step by step: my meter, the leaves, the anchor in storage, the header, finality.',
    request: z.object({ date }),
    response: dayReportSchema,
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.verifyInterval': channel({
    doc: 'Verify one 15-minute interval (index 0–95 of the day) through the same steps.',
    request: z.object({ date, index: z.number().int().min(0).max(95) }),
    response: dayReportSchema,
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.evidence': channel({
    doc: "The raw evidence main verified each day (or one interval) on, with main's report, for the window to re-verify itself; a day main has not verified yet is verified first.",
    request: z.object({ dates: z.array(date).min(1).max(31), interval: z.number().int().min(0).max(95).optional() }),
    response: z.object({ days: z.array(handedEvidenceSchema) }),
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.verifyRange': channel({
    doc: 'Verify every day of a range (up to a year); progress as ledger.verifyProgress; cancel with ledger.cancelVerify.',
    request: z.object({ jobId, from: date, to: date }),
    response: rangeSummarySchema,
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.cancelVerify': channel({
    doc: 'Stop a running range verification; it answers with what it verified so far.',
    request: z.object({ jobId }),
    response: z.object({ cancelled: z.boolean() }),
    errors: [],
  }),
  'ledger.attest': channel({
    doc: "Anchor my meter's record of a closed day as the household's attestation (the wallet asks for approval).",
    request: z.object({ date }),
    response: z.object({ txHash: hex32, root: hex32, importWh: wh, exportWh: wh, blockNumber: z.number().int() }),
    errors: [
      'LEDGER_NOT_CONFIGURED',
      'LEDGER_NO_SIGNER',
      'LEDGER_NO_LOCAL_READINGS',
      'LEDGER_DAY_NOT_CLOSED',
      'LEDGER_NOT_METER_OWNER',
      'LEDGER_ALREADY_ATTESTED',
      'LEDGER_TX_FAILED',
      'LEDGER_RPC_UNREACHABLE',
    ],
  }),
  'ledger.checkpoint': channel({
    doc: 'The checkpoint the household pinned (null: none), with whether the ledger endpoint has the same block.',
    request: z.object({}),
    response: z.object({ checkpoint: checkpointSchema.nullable(), endpoint: z.enum(['agrees', 'differs', 'unknown']) }),
    errors: [],
  }),
  'ledger.pinCheckpoint': channel({
    doc: 'Pin a checkpoint from a second source: a line typed from the bill, a checkpoint file, or a second endpoint (its block `number`, default its head).',
    request: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('bill'), text: z.string().min(1).max(500), label: z.string().max(200).default('') }),
      z.object({ kind: z.literal('file'), text: z.string().min(1).max(20_000), label: z.string().max(200).default('') }),
      z.object({ kind: z.literal('rpc'), url: z.string().url().max(500).regex(/^https?:\/\//), number: z.number().int().nonnegative().optional() }),
    ]),
    response: z.object({ checkpoint: checkpointSchema, endpoint: z.enum(['agrees', 'differs', 'unknown']) }),
    errors: ['LEDGER_CHECKPOINT_INVALID', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.disputePack': channel({
    doc: "A day's dispute pack (wattlet.dispute-pack/1): my readings, the operator's leaves with salts, every proof, the headers to my checkpoint, signed by my key once a person approves on the approval surface. Answers the file's text for the window to save.",
    request: z.object({ date }),
    response: z.object({
      fileName: z.string(),
      text: z.string(),
      signer: address,
      /** What any reader re-derives from the file: my meter agrees or differs with the operator's intervals. */
      verdict: z.enum(['agrees', 'differs', 'no-readings']),
      /** False when the file proves the operator never anchored the day (its anchor absent at B). */
      anchored: z.boolean(),
      /** The step a reader would refuse the file at (the endpoint's answers did not prove out), null when intact. */
      refusedAt: z.string().nullable(),
    }),
    errors: [
      'LEDGER_NOT_CONFIGURED',
      'LEDGER_NO_SIGNER',
      'LEDGER_RPC_UNREACHABLE',
      'LEDGER_RPC_TIMEOUT',
      'LEDGER_RPC_ERROR',
      'LEDGER_RPC_INVALID_ANSWER',
      'WALLET_EMPTY',
      'WALLET_LOCKED',
      'WALLET_BACKUP_UNCONFIRMED',
      'KEYCHAIN_UNAVAILABLE',
      'APPROVAL_REJECTED',
      'APPROVAL_TIMEOUT',
      'APPROVAL_CANCELLED',
      'APPROVAL_QUEUE_FULL',
    ],
  }),
  'ledger.disputePackFile': channel({
    doc: 'Like disputePack, written to a file the person chooses in a save dialog (the desktop app; the browser host saves disputePack\'s text instead).',
    request: z.object({ date, suggestedName: z.string().min(1).max(120).regex(/^[^/\\]+$/).optional() }),
    response: z.object({ file: z.string(), bytes: z.number().int(), signer: address, verdict: z.enum(['agrees', 'differs', 'no-readings']), anchored: z.boolean(), refusedAt: z.string().nullable() }),
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_NO_SIGNER', 'LEDGER_EXPORT_CANCELLED', 'LEDGER_EXPORT_WRITE_FAILED', 'LEDGER_RPC_UNREACHABLE', 'WALLET_EMPTY', 'WALLET_LOCKED', 'APPROVAL_REJECTED', 'APPROVAL_TIMEOUT', 'APPROVAL_CANCELLED'],
  }),
  'ledger.intervalProof': channel({
    doc: "One quarter-hour (index 0–95) disclosed (wattlet.interval-proof/1): its leaf and salt, its paths up to the anchor, the storage proof and header(s), nothing else of the day. Answers the file's text.",
    request: z.object({ date, index: z.number().int().min(0).max(95) }),
    response: z.object({ fileName: z.string(), text: z.string() }),
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_NO_INTERVALS', 'LEDGER_RPC_UNREACHABLE', 'LEDGER_RPC_TIMEOUT', 'LEDGER_RPC_ERROR', 'LEDGER_RPC_INVALID_ANSWER'],
  }),
  'ledger.intervalProofFile': channel({
    doc: 'Like intervalProof, written to a file the person chooses in a save dialog (the desktop app).',
    request: z.object({ date, index: z.number().int().min(0).max(95), suggestedName: z.string().min(1).max(120).regex(/^[^/\\]+$/).optional() }),
    response: z.object({ file: z.string(), bytes: z.number().int() }),
    errors: ['LEDGER_NOT_CONFIGURED', 'LEDGER_NO_INTERVALS', 'LEDGER_EXPORT_CANCELLED', 'LEDGER_EXPORT_WRITE_FAILED', 'LEDGER_RPC_UNREACHABLE'],
  }),
  'ledger.clearCheckpoint': channel({
    doc: 'Forget the pinned checkpoint: verdicts rest on the endpoint(s) again.',
    request: z.object({}),
    response: z.object({ cleared: z.boolean() }),
    errors: [],
  }),
};

export const ledgerEvents = {
  'ledger.verifyProgress': event({
    doc: 'One more day of a range verification is done.',
    payload: z.object({ jobId: z.string(), done: z.number().int(), total: z.number().int(), date, status: dayStatusSchema.shape.status }),
  }),
  'ledger.statusChanged': event({ doc: 'The ledger connection changed.', payload: ledgerStatusSchema }),
};
