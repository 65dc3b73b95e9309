import { formatDay, dayStart, SECONDS_PER_DAY } from '../day.js';
import type { IntervalHandover } from '../tree/handover.js';
import { anchorSlots, decodeTotals } from './anchor-slots.js';
import { compareReadings, type MeterInterval } from './compare-readings.js';
import { checkFinality } from './finality.js';
import { verifyHeaderHash } from './header-hash.js';
import { verifyCoverage, verifyLeaves, type ProvenInterval } from './leaf-proofs.js';
import { failed, skipped, step, type DayReport, type VerifyStep } from './report.js';
import { rpcAccountProofSchema, rpcBlockSchema } from './rpc-shapes.js';
import { verifyStorageProof } from './storage-proof.js';
import { quantity } from './bytes.js';
import { ready as keccakReady } from './keccak.js';

/** What the endpoint(s) answered for one day: the raw JSON, proven or refused here. */
export interface DayEvidence {
  readonly chainId: number;
  readonly contract: string;
  /** The block B the proofs were asked for. */
  readonly blockNumber: number;
  /** eth_getBlockByNumber(B, false). */
  readonly block: unknown;
  /** eth_getProof(contract, [rootSlot, totalsSlot], B). */
  readonly proof: unknown;
  /** eth_blockNumber when the evidence was fetched. */
  readonly head: number;
  readonly second?: { readonly url: string; readonly blockHash: string | null };
}

export interface VerifyDayInput {
  readonly meterId: string;
  readonly day: number;
  readonly evidence: DayEvidence;
  /** The operator's intervals with salts (and proofs); null when none were handed over. */
  readonly handover: IntervalHandover | null;
  /** My meter's intervals for the day; null skips check 1. */
  readonly local: readonly MeterInterval[] | null;
  readonly minDepth: number;
  /** The meter's register resolution: differences below it are no differences. */
  readonly resolutionWh: bigint;
  /** Verify one interval (its index in the operator's list) instead of the whole day. */
  readonly interval?: number;
}

export function toProvenIntervals(h: IntervalHandover): ProvenInterval[] {
  return h.intervals.map((iv) => ({
    start: iv.start,
    seconds: iv.seconds,
    importWh: BigInt(iv.importWh),
    exportWh: BigInt(iv.exportWh),
    salt: iv.salt,
    ...(iv.proof ? { proof: iv.proof } : {}),
  }));
}

/**
 * Walks the chain of trust for one meter-day (LEDGER.md checks 1–3), bottom up: header hash →
 * state root → account and storage proofs → anchored root and totals → every interval's leaf →
 * my meter's readings. Pure and isomorphic: the renderer can re-run it on the same evidence.
 */
export async function verifyDay(input: VerifyDayInput): Promise<DayReport> {
  await keccakReady(); // the WebAssembly keccak once it is compiled; noble where it cannot be
  const { evidence, meterId, day } = input;
  const contract = evidence.contract.toLowerCase();
  const base = { meterId, day, date: formatDay(day), contract, chainId: evidence.chainId, interval: input.interval ?? null };
  const blockParsed = rpcBlockSchema.safeParse(evidence.block);
  const proofParsed = rpcAccountProofSchema.safeParse(evidence.proof);
  if (!blockParsed.success || !proofParsed.success) {
    const code = 'LEDGER_RPC_INVALID_ANSWER';
    const msg = !blockParsed.success ? 'The block answer is malformed' : 'The proof answer is malformed';
    return {
      ...base,
      block: null,
      ok: false,
      steps: [
        skipped('readings', code, msg),
        skipped('leaves', code, msg),
        failed('anchor', code, msg),
        failed('header', code, msg),
        skipped('finality', code, msg),
      ],
    };
  }
  const block = blockParsed.data as Record<string, unknown> & { hash: string; number: string; stateRoot: string };
  const proof = proofParsed.data;

  // Check 3b: the header. B must be the block asked for, and hash to its hash.
  const header = verifyHeaderHash(block);
  const numberOk = quantity(block.number) === BigInt(evidence.blockNumber);
  const headerComparisons = [
    { subject: 'block number', expected: String(evidence.blockNumber), actual: quantity(block.number).toString(), ok: numberOk },
    ...header.comparisons,
  ];
  const headerStep: VerifyStep = !numberOk
    ? failed('header', 'PROOF_BLOCK_MISMATCH', 'The endpoint answered another block', headerComparisons)
    : header.ok
      ? step('header', headerComparisons, 'PROOF_HEADER_HASH', `The header hashes to the block hash (${header.fork})`, '')
      : failed('header', header.code, header.message, headerComparisons);

  // Check 3a: the anchor in EnergyLedger's storage at B, proven against B's state root.
  const slots = anchorSlots('operator', meterId, day);
  const storage = await verifyStorageProof({ stateRoot: block.stateRoot, address: contract, slots: [slots.root, slots.totals], proof });
  let anchoredRoot: string | null = null;
  let totals: ReturnType<typeof decodeTotals> | null = null;
  let anchorStep: VerifyStep;
  if (!storage.ok) {
    anchorStep = failed('anchor', storage.code, storage.message, storage.comparisons);
  } else {
    const rootValue = storage.values.get(slots.root) ?? 0n;
    totals = decodeTotals(storage.values.get(slots.totals) ?? 0n);
    if (rootValue === 0n) {
      anchorStep = failed('anchor', 'LEDGER_NO_ANCHOR', 'No operator anchor for this day at block B (proven)', storage.comparisons);
    } else {
      anchoredRoot = '0x' + rootValue.toString(16).padStart(64, '0');
      anchorStep = step('anchor', storage.comparisons, 'PROOF_STORAGE_MISMATCH', `Anchored root ${anchoredRoot} proven in contract storage`, '');
    }
  }

  // Check 2: the operator's intervals under the anchored root.
  let leavesStep: VerifyStep;
  const intervals = input.handover ? toProvenIntervals(input.handover) : null;
  if (!intervals || !input.handover) {
    leavesStep = skipped('leaves', 'LEDGER_NO_INTERVALS', 'The operator has not handed over intervals for this day');
  } else if (!anchoredRoot || !totals) {
    leavesStep = skipped('leaves', anchorStep.code, 'No proven root to check the intervals against');
  } else if (input.handover.meterId.toLowerCase() !== meterId.toLowerCase() || input.handover.day !== day) {
    leavesStep = failed('leaves', 'PROOF_LEAF_NOT_UNDER_ROOT', 'The intervals are for another meter or day');
  } else {
    const only = input.interval !== undefined ? [input.interval] : undefined;
    const comparisons = [
      { subject: 'operator file root', expected: anchoredRoot, actual: input.handover.root.toLowerCase(), ok: anchoredRoot === input.handover.root.toLowerCase() },
      ...(only ? [] : verifyCoverage(intervals, dayStart(day), dayStart(day) + SECONDS_PER_DAY, totals)),
      ...verifyLeaves(meterId, intervals, anchoredRoot, only),
    ];
    leavesStep = step('leaves', comparisons, 'PROOF_LEAF_NOT_UNDER_ROOT', 'Every interval is under the anchored root', 'Some intervals are not under the anchored root');
  }

  // Check 1: my meter against the operator's intervals.
  let readingsStep: VerifyStep;
  if (!input.local) readingsStep = skipped('readings', 'LEDGER_NO_LOCAL_READINGS', 'No local readings for this day');
  else if (!intervals) readingsStep = skipped('readings', 'LEDGER_NO_INTERVALS', 'No operator intervals to compare with');
  else {
    const official = input.interval !== undefined ? intervals.slice(input.interval, input.interval + 1) : intervals;
    const official0 = official[0];
    const local = input.interval !== undefined && official0 ? input.local.filter((l) => l.start === official0.start) : input.local;
    readingsStep = step('readings', compareReadings(local, official, input.resolutionWh), 'PROOF_READINGS_DIFFER', 'My meter agrees with the operator', 'My meter differs from the operator');
  }

  const finalityStep = step(
    'finality',
    checkFinality({ blockNumber: evidence.blockNumber, head: evidence.head, minDepth: input.minDepth, blockHash: block.hash, ...(evidence.second ? { second: evidence.second } : {}) }),
    evidence.head - evidence.blockNumber < input.minDepth ? 'PROOF_BLOCK_TOO_SHALLOW' : 'PROOF_ENDPOINTS_DISAGREE',
    'Block B is deep enough' + (evidence.second ? ' and the second endpoint agrees' : ''),
    'Block B is not final enough or the endpoints disagree',
  );

  const steps = [readingsStep, leavesStep, anchorStep, headerStep, finalityStep];
  const chainSteps = [leavesStep, anchorStep, headerStep, finalityStep];
  const ok = steps.every((s) => s.status !== 'fail') && chainSteps.every((s) => s.status === 'pass');
  return { ...base, block: { number: evidence.blockNumber, hash: block.hash.toLowerCase() }, ok, steps };
}
