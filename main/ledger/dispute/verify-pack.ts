import { verifyMessage } from 'ethers';
import { dayStart, INTERVAL_SECONDS, SECONDS_PER_DAY } from '../day.js';
import { intervalHandoverSchema, type IntervalHandover } from '../tree/handover.js';
import type { RegionPath } from '../tree/region-path.js';
import { ownerSlot } from '../verify/anchor-slots.js';
import type { Comparison, DayReport, StepId, VerifyStep } from '../verify/report.js';
import { rpcAccountProofSchema, rpcBlockSchema } from '../verify/rpc-shapes.js';
import { verifyStorageProof } from '../verify/storage-proof.js';
import { verifyHeaderHash } from '../verify/header-hash.js';
import { verifyDay, type DayEvidence } from '../verify/verify-day.js';
import { packDigest } from './canonical-json.js';
import { disputePackBodySchema, disputePackSchema, intervalProofSchema, type DisputePackBody, type PackEvidence } from './pack-format.js';
import { packStatement } from './pack-statement.js';

/** 'reader-checkpoint': the reader's own checkpoint (--checkpoint), the one outside anchor a self-consistent file cannot fake. */
export type PackStepId = 'format' | 'signature' | 'reader-checkpoint' | StepId;
export interface PackStep extends Omit<VerifyStep, 'id'> {
  readonly id: PackStepId;
}

/**
 * A pack or interval proof re-derived offline, step by step. `ok`: the file is intact and every
 * link of its chain of proof holds; otherwise `refusedAt` names the first step that does not
 * (evidence first, then the signature: a flipped proof node is named where it breaks the proof)
 * and `failed` lists every one that failed.
 */
export interface PackReport {
  readonly kind: 'dispute-pack' | 'interval-proof';
  readonly ok: boolean;
  readonly refusedAt: PackStepId | null;
  readonly code: string | null;
  readonly failed: PackStepId[];
  /** Dispute pack: whether my meter agrees with the operator's anchored record (re-derived). */
  /** Dispute pack: whether my meter agrees with the operator's intervals (re-derived). */
  readonly verdict: 'agrees' | 'differs' | 'no-readings' | null;
  /** False when the operator's anchor for the day is proven absent at B (evidence too: the day was never anchored). */
  readonly anchored: boolean | null;
  /** Dispute pack: the address the statement recovers to, when it does. */
  readonly signer: string | null;
  readonly statement: string | null;
  /** Interval proof: the quarter-hour disclosed. */
  readonly interval: { readonly index: number; readonly start: number; readonly seconds: number; readonly importWh: string; readonly exportWh: string } | null;
  readonly day: DayReport | null;
  readonly steps: PackStep[];
}

const pass = (id: PackStepId, message: string, comparisons: Comparison[] = []): PackStep => ({ id, status: 'pass', code: null, message, comparisons });
const fail = (id: PackStepId, code: string, message: string, comparisons: Comparison[] = []): PackStep => ({ id, status: 'fail', code, message, comparisons });

function refused(kind: PackReport['kind'], step: PackStep): PackReport {
  return { kind, ok: false, refusedAt: step.id, code: step.code, failed: [step.id], verdict: null, anchored: null, signer: null, statement: null, interval: null, day: null, steps: [step] };
}

function dayEvidence(chainId: number, contract: string, e: PackEvidence, checkpoint: DisputePackBody['checkpoint']): DayEvidence {
  return {
    chainId,
    contract,
    blockNumber: e.blockNumber,
    block: e.block,
    proof: e.proof,
    regionId: e.regionId,
    head: e.head,
    ...(e.second ? { second: e.second } : {}),
    ...(checkpoint ? { chain: checkpoint } : {}),
  };
}

/**
 * The links every pack must prove, in the order a refusal names them: the first step that failed
 * (a step skipped for want of a link below it is not named before the link that broke), else the
 * first required step left unproven.
 */
function refusal(steps: readonly PackStep[], required: ReadonlySet<PackStepId>): { refusedAt: PackStepId | null; code: string | null; failed: PackStepId[] } {
  const at = (id: PackStepId) => steps.find((x) => x.id === id);
  // An anchor proven absent is the verdict of a day never anchored, not a broken link.
  const absent = (id: PackStepId) => !required.has(id) && at(id)?.code === 'LEDGER_NO_ANCHOR';
  const order = (['format', 'leaves', 'region', 'anchor', 'header', 'checkpoint', 'reader-checkpoint', 'finality', 'signature'] as const).filter((id) => !absent(id));
  const failed = order.filter((id) => at(id)?.status === 'fail');
  const unproven = order.filter((id) => required.has(id) && at(id) !== undefined && at(id)!.status !== 'pass');
  const first = failed[0] ?? unproven[0];
  const step = first ? at(first)! : null;
  return { refusedAt: step?.id ?? null, code: step?.code ?? null, failed: [...new Set([...failed, ...unproven])] };
}

/** The links of the day's chain that must pass, given its design and whether a checkpoint is pinned. */
function requiredSteps(day: DayReport, pinned: boolean): Set<PackStepId> {
  const outside = ['header', ...(pinned ? (['checkpoint'] as const) : []), 'finality'] as const;
  // A day whose anchor is proven absent is evidence too (the operator never anchored it): only
  // the links that prove the absence must hold.
  if (notAnchored(day)) return new Set<PackStepId>(outside);
  return new Set<PackStepId>(['leaves', ...(day.design === 'region' ? (['region'] as const) : []), 'anchor', ...outside]);
}

/** The anchor step proved the slot empty at B (a valid storage proof of a zero root). */
function notAnchored(day: DayReport): boolean {
  const anchor = day.steps.find((s) => s.id === 'anchor');
  return anchor?.status === 'fail' && anchor.code === 'LEDGER_NO_ANCHOR';
}

/** The signature step: the statement is the pack's own, it recovers to the signer, and the signer owned the meter at B (proven). */
async function signatureStep(body: DisputePackBody, sig: { signer: string; statement: string; signature: string }): Promise<{ step: PackStep; signer: string | null }> {
  const digest = packDigest(body);
  const expected = packStatement(body, digest);
  const comparisons: Comparison[] = [{ subject: 'statement signed = statement of the pack’s contents', expected: expected === sig.statement ? 'same text' : expected, actual: expected === sig.statement ? 'same text' : sig.statement, ok: expected === sig.statement }];
  let recovered: string | null = null;
  try {
    recovered = verifyMessage(sig.statement, sig.signature);
  } catch {
    recovered = null;
  }
  comparisons.push({ subject: 'signature recovers to the signer (EIP-191)', expected: sig.signer.toLowerCase(), actual: recovered?.toLowerCase() ?? 'no address', ok: recovered?.toLowerCase() === sig.signer.toLowerCase() });
  if (!comparisons.every((c) => c.ok)) return { step: fail('signature', 'PACK_SIGNATURE', 'The signature does not cover this pack: it was altered after signing, or signed by another key', comparisons), signer: recovered };
  // Whose key may speak for the meter: owners[meter] at B, proven against B's state root.
  const block = rpcBlockSchema.safeParse(body.evidence.block);
  const proof = rpcAccountProofSchema.safeParse(body.ownerProof);
  if (!block.success || !proof.success) return { step: fail('signature', 'PACK_SIGNER_NOT_OWNER', 'The pack has no proof of the meter’s owner at block B', comparisons), signer: recovered };
  const slot = ownerSlot(body.meterId);
  const storage = await verifyStorageProof({ stateRoot: block.data.stateRoot, address: body.contract.toLowerCase(), slots: [slot], proof: proof.data });
  if (!storage.ok) return { step: fail('signature', 'PACK_SIGNER_NOT_OWNER', 'The proof of the meter’s owner does not hold', [...comparisons, ...storage.comparisons]), signer: recovered };
  const owner = '0x' + (storage.values.get(slot) ?? 0n).toString(16).padStart(40, '0');
  comparisons.push({ subject: `owner of the meter at block ${body.evidence.blockNumber} (EIP-1186)`, expected: owner, actual: sig.signer.toLowerCase(), ok: owner === sig.signer.toLowerCase() });
  if (owner !== sig.signer.toLowerCase()) return { step: fail('signature', 'PACK_SIGNER_NOT_OWNER', 'The signer did not own the meter at block B', comparisons), signer: recovered };
  return { step: pass('signature', `Signed by ${recovered}, the meter’s owner at block ${body.evidence.blockNumber}`, comparisons), signer: recovered };
}

/** A checkpoint the reader holds from its own source (parseCheckpointText's shape). */
export interface ReaderCheckpoint {
  readonly chainId: number | null;
  readonly number: number;
  readonly hash: string;
}

/**
 * A file is self-consistent by construction: whoever made it could have made a whole chain to go
 * with it. What ties it to the real chain is a block the reader knows from elsewhere: it must be
 * block B, the pack's checkpoint, or one of the headers the pack links between them (each header
 * re-hashed here; the links themselves are the checkpoint step's).
 */
function readerCheckpointStep(
  reader: ReaderCheckpoint,
  chainId: number,
  day: DayReport,
  chain: { checkpoint: { number: number; hash: string }; headers: readonly unknown[] } | null,
): PackStep {
  const hash = reader.hash.toLowerCase();
  const comparisons: Comparison[] = [];
  if (reader.chainId !== null && reader.chainId !== chainId) {
    return fail('reader-checkpoint', 'LEDGER_CHECKPOINT_MISMATCH', 'Your checkpoint is of another chain', [{ subject: 'chain id', expected: String(reader.chainId), actual: String(chainId), ok: false }]);
  }
  let found: string | null = null;
  if (day.block && day.block.number === reader.number) found = day.block.hash;
  else if (chain && chain.checkpoint.number === reader.number) found = chain.checkpoint.hash.toLowerCase();
  else if (chain) {
    const h = chain.headers.find((x) => x && typeof x === 'object' && typeof (x as { number?: unknown }).number === 'string' && Number.parseInt((x as { number: string }).number, 16) === reader.number);
    if (h) {
      const r = verifyHeaderHash(h as Record<string, unknown>);
      found = r.ok ? r.computedHash : 'a header that does not hash';
    }
  }
  comparisons.push({ subject: `block ${reader.number} hash (your checkpoint)`, expected: hash, actual: found ?? 'not among the blocks the file links', ok: found === hash });
  if (found === hash) return pass('reader-checkpoint', `Block ${reader.number} of the file is the block you hold: the file is on your chain`, comparisons);
  return fail('reader-checkpoint', 'LEDGER_CHECKPOINT_MISMATCH', found === null ? 'Your checkpoint is not among the blocks the file links (block B, its checkpoint and the headers between)' : 'The file has another block at your checkpoint’s number', comparisons);
}

/**
 * `wattlet ledger verify --pack`: re-derives a dispute pack's verdict from its bytes alone (no
 * RPC): its form, every link of the day's chain of proof (verifyDay on the pack's evidence, the
 * header chain to its checkpoint), and the household's signature over all of it.
 */
export async function verifyDisputePack(raw: unknown, options: { readonly checkpoint?: ReaderCheckpoint } = {}): Promise<PackReport> {
  const outer = disputePackSchema.safeParse(raw);
  if (!outer.success) return refused('dispute-pack', fail('format', 'PACK_MALFORMED', `Not a ${'wattlet.dispute-pack/1'} file: ${outer.error.issues[0]?.path.join('.') ?? ''}`));
  const parsed = disputePackBodySchema.safeParse(outer.data.body);
  if (!parsed.success) return refused('dispute-pack', fail('format', 'PACK_MALFORMED', `The pack's body is malformed at ${parsed.error.issues[0]?.path.join('.') ?? ''}`));
  const body = parsed.data;
  let handover: IntervalHandover | null = null;
  if (body.handover !== null && body.handover !== undefined) {
    const h = intervalHandoverSchema.safeParse(body.handover);
    if (!h.success) return refused('dispute-pack', fail('format', 'PACK_MALFORMED', "The operator's intervals in the pack are not a wattlet.intervals/1 file"));
    handover = h.data;
  }
  const format = pass('format', `A wattlet.dispute-pack/1 file for meter ${body.meterId} on ${body.date}`);
  const signature = await signatureStep(body, outer.data.signature);
  const day = await verifyDay({
    meterId: body.meterId,
    day: body.day,
    evidence: dayEvidence(body.chainId, body.contract, body.evidence, body.checkpoint),
    handover,
    // The path is the operator's file: verifyDay checks its form and proves it.
    region: (body.regionPath ?? null) as RegionPath | null,
    local: body.readings ? body.readings.map((r) => ({ start: r.start, seconds: r.seconds, importWh: BigInt(r.importWh), exportWh: BigInt(r.exportWh) })) : null,
    minDepth: body.minDepth,
    resolutionWh: BigInt(body.resolutionWh),
  });
  const mine = options.checkpoint ? [readerCheckpointStep(options.checkpoint, body.chainId, day, body.checkpoint)] : [];
  const steps: PackStep[] = [format, signature.step, ...day.steps, ...mine];
  const r = refusal(steps, new Set([...requiredSteps(day, body.checkpoint !== null), ...mine.map((m) => m.id)]));
  const readings = day.steps.find((s) => s.id === 'readings')!;
  return {
    kind: 'dispute-pack',
    ok: r.refusedAt === null,
    ...r,
    verdict: readings.status === 'pass' ? 'agrees' : readings.status === 'fail' ? 'differs' : 'no-readings',
    anchored: !notAnchored(day),
    signer: signature.signer,
    statement: outer.data.signature.statement,
    interval: null,
    day,
    steps,
  };
}

/**
 * `wattlet ledger verify --interval-proof`: one quarter-hour under the operator's anchor, from the
 * file alone: its leaf and path to the meter-day root, the meter-day leaf under the region-day
 * root (in a region), the storage proof, the header and the chain to the checkpoint.
 */
export async function verifyIntervalProof(raw: unknown, options: { readonly checkpoint?: ReaderCheckpoint } = {}): Promise<PackReport> {
  const parsed = intervalProofSchema.safeParse(raw);
  if (!parsed.success) return refused('interval-proof', fail('format', 'PACK_MALFORMED', `Not a wattlet.interval-proof/1 file: ${parsed.error.issues[0]?.path.join('.') ?? ''}`));
  const p = parsed.data;
  const iv = p.interval;
  const start = dayStart(p.day);
  if (iv.start !== start + p.index * INTERVAL_SECONDS || iv.seconds !== INTERVAL_SECONDS || iv.start + iv.seconds > start + SECONDS_PER_DAY) {
    return refused('interval-proof', fail('format', 'PACK_MALFORMED', `Interval ${p.index} of ${p.date} does not start at ${new Date((start + p.index * INTERVAL_SECONDS) * 1000).toISOString()}`));
  }
  const handover: IntervalHandover = {
    format: 'wattlet.intervals/1',
    meterId: p.meterId,
    day: p.day,
    root: p.meterDay.root,
    // Not read for one interval (coverage is a whole day's check): the day's totals are proven
    // through the region path's meter-day leaf, or sit in the per-meter anchor itself.
    importWh: '0',
    exportWh: '0',
    intervals: [iv],
  };
  const day = await verifyDay({
    meterId: p.meterId,
    day: p.day,
    evidence: dayEvidence(p.chainId, p.contract, p.evidence, p.checkpoint),
    handover,
    region: (p.regionPath ?? null) as RegionPath | null,
    local: null,
    minDepth: p.minDepth,
    resolutionWh: 1n,
    interval: 0,
  });
  const format = pass('format', `A wattlet.interval-proof/1 file: interval ${p.index} of ${p.date} for meter ${p.meterId}`);
  const mine = options.checkpoint ? [readerCheckpointStep(options.checkpoint, p.chainId, day, p.checkpoint)] : [];
  const steps: PackStep[] = [format, ...day.steps.filter((s) => s.id !== 'readings'), ...mine];
  const r = refusal(steps, new Set([...requiredSteps(day, p.checkpoint !== null), ...mine.map((m) => m.id)]));
  return {
    kind: 'interval-proof',
    ok: r.refusedAt === null,
    ...r,
    verdict: null,
    anchored: !notAnchored(day),
    signer: null,
    statement: null,
    interval: { index: p.index, start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh },
    day: { ...day, interval: p.index },
    steps,
  };
}
