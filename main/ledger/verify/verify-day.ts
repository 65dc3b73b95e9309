import { formatDay, dayStart, SECONDS_PER_DAY } from '../day.js';
import type { IntervalHandover } from '../tree/handover.js';
import { regionPathSchema, type RegionPath } from '../tree/region-path.js';
import { anchorStep } from './anchor-step.js';
import { quantity } from './bytes.js';
import { compareReadings, type MeterInterval } from './compare-readings.js';
import { daySlots, slotList } from './evidence-slots.js';
import { checkFinality } from './finality.js';
import { checkpointStep, type HeaderChainEvidence, type HeaderChainMemo } from './header-chain.js';
import { verifyHeaderHash } from './header-hash.js';
import { ready as keccakReady } from './keccak.js';
import { verifyCoverage, verifyLeaves, type ProvenInterval } from './leaf-proofs.js';
import { regionStep } from './region-step.js';
import { failed, groupedStep, skipped, step, type DayReport, type VerifyStep } from './report.js';
import { rpcAccountProofSchema, rpcBlockSchema } from './rpc-shapes.js';
import { verifyStorageProof } from './storage-proof.js';

/** What the endpoint(s) answered for one day: the raw JSON, proven or refused here. */
export interface DayEvidence {
  readonly chainId: number;
  readonly contract: string;
  /** The block B the proofs were asked for. */
  readonly blockNumber: number;
  /** eth_getBlockByNumber(B, false). */
  readonly block: unknown;
  /** eth_getProof(contract, slotList(daySlots(…)), B): at least the slots the verifier asks for (verify/evidence-slots.ts). */
  readonly proof: unknown;
  /**
   * Without a region path: the region the meter's registration named as the endpoint read it,
   * whose anchor the proof also covers. Only which slots to look for; the registration itself is
   * proven from `proof`. Absent or null: no region anchor was asked for.
   */
  readonly regionId?: string | null;
  /** eth_blockNumber when the evidence was fetched. */
  readonly head: number;
  readonly second?: { readonly url: string; readonly blockHash: string | null };
  /**
   * The household's pinned checkpoint and the headers between it and B (header-chain.ts); absent
   * or null when none is pinned. `chainUnavailable`: one is pinned but the chain could not be
   * fetched (too long, or the endpoint has no such block): the checkpoint step fails with it.
   */
  readonly chain?: HeaderChainEvidence | null;
  readonly chainUnavailable?: { readonly code: string; readonly message: string } | null;
}

export interface VerifyDayInput {
  readonly meterId: string;
  readonly day: number;
  readonly evidence: DayEvidence;
  /** The operator's intervals with salts (and proofs); null when none were handed over. */
  readonly handover: IntervalHandover | null;
  /**
   * My meter-day's path in its region's day tree (tree/region-path.ts), as the operator handed it
   * over; null or absent where the operator anchors per meter (or has not handed it over: a meter
   * registered in a region is then reported LEDGER_NO_REGION_PATH).
   */
  readonly region?: RegionPath | null;
  /** My meter's intervals for the day; null skips check 1. */
  readonly local: readonly MeterInterval[] | null;
  readonly minDepth: number;
  /** The meter's register resolution: differences below it are no differences. */
  readonly resolutionWh: bigint;
  /** Verify one interval (its index in the operator's list) instead of the whole day. */
  readonly interval?: number;
  /** Chains already checked (a range: every day links the same B to the same checkpoint). */
  readonly headerChains?: HeaderChainMemo;
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
 * state root → account and storage proofs → the anchored root (the region-day root, and the
 * meter's registration in that region; or the meter's own day root) → in a region, the meter-day
 * leaf under the region-day root → every interval's leaf under the meter-day root → my meter's
 * readings. Pure and isomorphic: the renderer can re-run it on the same evidence.
 */
export async function verifyDay(input: VerifyDayInput): Promise<DayReport> {
  await keccakReady(); // the WebAssembly keccak once it is compiled; noble where it cannot be
  const { evidence, meterId, day } = input;
  // The path is the operator's file: checked for form here too, so a renderer re-running this on
  // raw evidence gets a step that says so rather than an exception.
  const pathParsed = input.region ? regionPathSchema.safeParse(input.region) : null;
  const path = pathParsed?.success ? pathParsed.data : null;
  const contract = evidence.contract.toLowerCase();
  const base = { meterId, day, date: formatDay(day), contract, chainId: evidence.chainId, interval: input.interval ?? null };
  const blockParsed = rpcBlockSchema.safeParse(evidence.block);
  const proofParsed = rpcAccountProofSchema.safeParse(evidence.proof);
  if (pathParsed && !pathParsed.success) {
    const msg = 'The region path is not a wattlet.region-path/1 file';
    return {
      ...base,
      design: 'region',
      region: null,
      block: null,
      ok: false,
      steps: [
        skipped('readings', 'PROOF_REGION_PATH', msg),
        skipped('leaves', 'PROOF_REGION_PATH', msg),
        failed('region', 'PROOF_REGION_PATH', msg),
        skipped('anchor', 'PROOF_REGION_PATH', msg),
        skipped('header', 'PROOF_REGION_PATH', msg),
        skipped('checkpoint', 'PROOF_REGION_PATH', msg),
        skipped('finality', 'PROOF_REGION_PATH', msg),
      ],
    };
  }
  if (!blockParsed.success || !proofParsed.success) {
    const code = 'LEDGER_RPC_INVALID_ANSWER';
    const msg = !blockParsed.success ? 'The block answer is malformed' : 'The proof answer is malformed';
    return {
      ...base,
      design: path ? 'region' : 'meter',
      region: path ? { id: path.regionId.toLowerCase(), meters: null } : null,
      block: null,
      ok: false,
      steps: [
        skipped('readings', code, msg),
        skipped('leaves', code, msg),
        skipped('region', code, msg),
        failed('anchor', code, msg),
        failed('header', code, msg),
        skipped('checkpoint', code, msg),
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

  // Check 3a: the anchor (and the meter's region) in EnergyLedger's storage at B, proven against B's state root.
  const slots = daySlots(meterId, day, { pathRegionId: path?.regionId ?? null, registeredRegionId: evidence.regionId ?? null });
  const storage = await verifyStorageProof({ stateRoot: block.stateRoot, address: contract, slots: slotList(slots), proof });
  const anchor = anchorStep({ slots, storage, pathRegionId: path?.regionId ?? null });

  // The region level: the meter-day leaf under the region-day root.
  let regionStepResult: VerifyStep;
  let dayRoot: { root: string; importWh: bigint; exportWh: bigint } | null = null;
  let dayRootCode: string | null = anchor.step.code;
  if (anchor.design === 'meter') {
    regionStepResult = skipped('region', null, 'Anchored per meter: the day root is anchored itself');
    if (anchor.meterAnchor) dayRoot = { root: anchor.meterAnchor.root, importWh: anchor.meterAnchor.totals.importWh, exportWh: anchor.meterAnchor.totals.exportWh };
  } else if (!path) {
    regionStepResult = anchor.regionAnchor
      ? skipped('region', 'LEDGER_NO_REGION_PATH', "The operator has not handed over my meter's path in the region's tree")
      : skipped('region', anchor.step.code, 'No proven region-day root');
    dayRootCode = regionStepResult.code;
  } else {
    const r = regionStep({ meterId, day, path, anchor: anchor.regionAnchor, anchorCode: anchor.step.code });
    regionStepResult = r.step;
    dayRoot = r.meterDay;
    if (!dayRoot) dayRootCode = r.step.code;
  }

  // Check 2: the operator's intervals under the meter-day root (anchored, or proven under the region's).
  let leavesStep: VerifyStep;
  const intervals = input.handover ? toProvenIntervals(input.handover) : null;
  const under = anchor.design === 'region' ? 'the meter-day root' : 'the anchored root';
  if (!intervals || !input.handover) {
    leavesStep = skipped('leaves', 'LEDGER_NO_INTERVALS', 'The operator has not handed over intervals for this day');
  } else if (!dayRoot) {
    leavesStep = skipped('leaves', dayRootCode, `No proven root to check the intervals against`);
  } else if (input.handover.day !== day) {
    leavesStep = failed('leaves', 'PROOF_WRONG_DAY', `The intervals are for ${formatDay(input.handover.day)}, not ${formatDay(day)}`);
  } else if (input.handover.meterId.toLowerCase() !== meterId.toLowerCase()) {
    leavesStep = failed('leaves', 'PROOF_LEAF_NOT_UNDER_ROOT', 'The intervals are for another meter');
  } else {
    const only = input.interval !== undefined ? [input.interval] : undefined;
    leavesStep = groupedStep(
      'leaves',
      [
        { code: 'PROOF_LEAF_NOT_UNDER_ROOT', comparisons: [{ subject: 'operator file root', expected: dayRoot.root, actual: input.handover.root.toLowerCase(), ok: dayRoot.root === input.handover.root.toLowerCase() }] },
        // The day's intervals must cover it and add up to the totals anchored with its root
        // (the meter-day leaf's, in a region), so none can be left out of the file unseen.
        { code: 'PROOF_DAY_TOTALS', comparisons: only ? [] : verifyCoverage(intervals, dayStart(day), dayStart(day) + SECONDS_PER_DAY, dayRoot) },
        { code: 'PROOF_LEAF_NOT_UNDER_ROOT', comparisons: verifyLeaves(meterId, intervals, dayRoot.root, only) },
      ],
      ['PROOF_LEAF_NOT_UNDER_ROOT', 'PROOF_DAY_TOTALS'],
      `Every interval is under ${under}`,
      `Some intervals are not under ${under}, or do not add up to its totals`,
    );
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

  // The outside anchor the household pinned: B's header linked to the checkpoint by parent hashes.
  const provenBlock = header.ok && numberOk ? { number: evidence.blockNumber, hash: block.hash.toLowerCase() } : null;
  const pinned = checkpointStep({ chainId: evidence.chainId, block: provenBlock, chain: evidence.chain ?? null, unavailable: evidence.chainUnavailable ?? null, memo: input.headerChains });
  const checkpointOf = evidence.chain?.checkpoint;

  const steps = [readingsStep, leavesStep, regionStepResult, anchor.step, headerStep, pinned.step, finalityStep];
  // Every link of the chain must pass; the region link only exists in the region design, the
  // checkpoint link only where one is pinned.
  const pinnedOne = evidence.chain || evidence.chainUnavailable;
  const chainSteps = [leavesStep, ...(anchor.design === 'region' ? [regionStepResult] : []), anchor.step, headerStep, ...(pinnedOne ? [pinned.step] : []), finalityStep];
  const ok = steps.every((s) => s.status !== 'fail') && chainSteps.every((s) => s.status === 'pass');
  return {
    ...base,
    design: anchor.design,
    region: anchor.regionId ? { id: anchor.regionId, meters: anchor.regionAnchor ? anchor.regionAnchor.meters.toString() : null } : null,
    block: { number: evidence.blockNumber, hash: block.hash.toLowerCase() },
    checkpoint: checkpointOf
      ? { number: checkpointOf.number, hash: checkpointOf.hash, pinnedAt: checkpointOf.pinnedAt, source: checkpointOf.source, relation: pinned.relation }
      : null,
    ok,
    steps,
  };
}
