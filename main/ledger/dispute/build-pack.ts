import { formatDay } from '../day.js';
import { buildDayTree } from '../tree/day-tree.js';
import type { IntervalHandover } from '../tree/handover.js';
import type { RegionPath } from '../tree/region-path.js';
import type { MeterInterval } from '../verify/compare-readings.js';
import { toProvenIntervals, type DayEvidence } from '../verify/verify-day.js';
import { DISPUTE_PACK_FORMAT, INTERVAL_PROOF_FORMAT, type DisputePackBody, type FileSubject, type IntervalProof, type PackEvidence } from './pack-format.js';

/** What the service gathered for a day, as it verifies it: the raw answers and the files handed over. */
export interface GatheredDay {
  readonly meterId: string;
  readonly day: number;
  readonly evidence: DayEvidence;
  readonly handover: IntervalHandover | null;
  readonly region: RegionPath | null;
  readonly local: readonly MeterInterval[] | null;
  readonly minDepth: number;
  readonly resolutionWh: bigint;
}

/** A second endpoint is named by its host only: a URL may carry an API key. */
function hostOnly(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'endpoint';
  }
}

function packEvidence(e: DayEvidence): PackEvidence {
  return {
    blockNumber: e.blockNumber,
    block: e.block,
    proof: e.proof,
    regionId: e.regionId ?? null,
    head: e.head,
    second: e.second ? { url: hostOnly(e.second.url), blockHash: e.second.blockHash } : null,
  };
}

/** The operator's file with every interval's proof filled in, so a reader needs nothing else. */
export function withProofs(meterId: string, h: IntervalHandover): IntervalHandover {
  if (h.intervals.every((iv) => iv.proof)) return h;
  const tree = buildDayTree(meterId, toProvenIntervals(h));
  return { ...h, intervals: h.intervals.map((iv, i) => ({ ...iv, proof: iv.proof ?? tree.proof(i) })) };
}

function fileSubject(g: GatheredDay, createdAt: string): FileSubject {
  return { createdAt, meterId: g.meterId, day: g.day, date: formatDay(g.day), chainId: g.evidence.chainId, contract: g.evidence.contract, minDepth: g.minDepth };
}

export function disputePackBody(g: GatheredDay, ownerProof: unknown, createdAt: string): DisputePackBody {
  return {
    format: DISPUTE_PACK_FORMAT,
    ...fileSubject(g, createdAt),
    resolutionWh: g.resolutionWh.toString(),
    readings: g.local ? g.local.map((l) => ({ start: l.start, seconds: l.seconds, importWh: l.importWh.toString(), exportWh: l.exportWh.toString() })) : null,
    handover: g.handover ? withProofs(g.meterId, g.handover) : null,
    regionPath: g.region,
    evidence: packEvidence(g.evidence),
    ownerProof,
    checkpoint: g.evidence.chain ? { checkpoint: g.evidence.chain.checkpoint, headers: [...g.evidence.chain.headers] } : null,
  };
}

/** One quarter-hour of the operator's file, its salt and paths, and the chain's proofs: nothing else of the day. */
export function intervalProof(g: GatheredDay, handover: IntervalHandover, index: number, createdAt: string): IntervalProof {
  const proven = withProofs(g.meterId, handover);
  const iv = proven.intervals[index]!;
  return {
    format: INTERVAL_PROOF_FORMAT,
    ...fileSubject(g, createdAt),
    index,
    interval: { start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh, salt: iv.salt, proof: [...iv.proof!] },
    meterDay: { root: proven.root.toLowerCase() },
    regionPath: g.region,
    evidence: packEvidence(g.evidence),
    checkpoint: g.evidence.chain ? { checkpoint: g.evidence.chain.checkpoint, headers: [...g.evidence.chain.headers] } : null,
  };
}
