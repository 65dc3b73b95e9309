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
  id: z.enum(['readings', 'leaves', 'region', 'anchor', 'header', 'finality']),
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
  ok: z.boolean(),
  steps: z.array(verifyStepSchema),
});
export type DayReportDto = z.infer<typeof dayReportSchema>;

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
    response: z.object({ meterId: hex32, days: z.array(dayStatusSchema) }),
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
};

export const ledgerEvents = {
  'ledger.verifyProgress': event({
    doc: 'One more day of a range verification is done.',
    payload: z.object({ jobId: z.string(), done: z.number().int(), total: z.number().int(), date, status: dayStatusSchema.shape.status }),
  }),
  'ledger.statusChanged': event({ doc: 'The ledger connection changed.', payload: ledgerStatusSchema }),
};
