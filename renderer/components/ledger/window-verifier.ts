import { handedEvidenceSchema, type DayReportDto, type HandedEvidence, type HeaderTrust } from '../../../main/api/ledger.js';
import { intervalHandoverSchema, type IntervalHandover } from '../../../main/ledger/tree/handover.js';
import { keccakBackend, verifyDay, type DayEvidence, type DayReport, type MeterInterval } from '../../../main/ledger/verify/index.js';

/**
 * The window as the household's own witness (LEDGER.md "What the household's window checks
 * itself"): it re-runs the isomorphic verifier on the raw evidence main handed over (the
 * endpoint's JSON, the operator's files, my meter's intervals) and compares its own verdict with
 * main's, step by step. Main's report is a second opinion: nothing of it is used to decide; the
 * header's hash is re-computed here from the header's fields, and what that hash rests on is
 * stated from what main says the trust source is (one endpoint, two that agree, a checkpoint).
 */

/** One point where the window and main part ways, or where the window refused the evidence. */
export interface Finding {
  /** The step it is about ('evidence' when the evidence itself could not be read). */
  readonly step: string;
  /** What main reported for it ('pass' | 'fail' | 'skipped' | 'absent'). */
  readonly main: string;
  /** What the window found. */
  readonly window: string;
  /** The window's code for it, translated in the UI. */
  readonly code: string | null;
}

export interface WindowVerdict {
  readonly date: string;
  readonly interval: number | null;
  /** The window's own report; null when the evidence could not even be read. */
  readonly report: DayReport | null;
  /** Main's report on the same evidence, as main handed it. */
  readonly main: DayReportDto | null;
  /** The window's verdict: its own report passed and main's agrees. */
  readonly ok: boolean;
  readonly findings: Finding[];
  readonly trust: HeaderTrust | null;
  /** The evidence the window checked (for the plain sentence: my meter's and the operator's values). */
  readonly evidence: HandedEvidence | null;
  /** Milliseconds the window spent verifying (not fetching). */
  readonly ms: number;
  readonly keccak: 'wasm' | 'noble';
}

/** What the window asked for: the answer must be about exactly this. */
export interface Expected {
  readonly meterId: string | null;
  readonly date: string;
  readonly interval: number | null;
}

const SECONDS_PER_DAY = 86_400;

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000 / SECONDS_PER_DAY;
}

function refused(expected: Expected, step: string, code: string, main: DayReportDto | null, started: number): WindowVerdict {
  return {
    date: expected.date,
    interval: expected.interval,
    report: null,
    main,
    ok: false,
    findings: [{ step, main: main ? (main.ok ? 'pass' : 'fail') : 'absent', window: 'fail', code }],
    trust: null,
    evidence: null,
    ms: performance.now() - started,
    keccak: keccakBackend(),
  };
}

/**
 * Verifies one day (or interval) in the window from what main handed over. `raw` is untrusted:
 * it is parsed here, its subject checked against what was asked, and every proof re-derived.
 */
export async function verifyInWindow(raw: unknown, expected: Expected): Promise<WindowVerdict> {
  const started = performance.now();
  const parsed = handedEvidenceSchema.safeParse(raw);
  const mainReport = parsed.success ? parsed.data.report : null;
  if (!parsed.success) return refused(expected, 'evidence', 'LEDGER_RPC_INVALID_ANSWER', null, started);
  const h = parsed.data;
  if (h.date !== expected.date || h.interval !== expected.interval || (expected.meterId !== null && h.meterId.toLowerCase() !== expected.meterId.toLowerCase())) {
    return refused(expected, 'evidence', 'LEDGER_WINDOW_WRONG_SUBJECT', mainReport, started);
  }
  let handover: IntervalHandover | null = null;
  const findings: Finding[] = [];
  if (h.handover !== null && h.handover !== undefined) {
    const file = intervalHandoverSchema.safeParse(h.handover);
    if (file.success) handover = file.data;
    else findings.push({ step: 'leaves', main: stepStatus(mainReport, 'leaves'), window: 'fail', code: 'LEDGER_INTERVALS_UNREADABLE' });
  }
  const local: MeterInterval[] | null = h.local
    ? h.local.map((l) => ({ start: l.start, seconds: l.seconds, importWh: BigInt(l.importWh), exportWh: BigInt(l.exportWh) }))
    : null;
  let report: DayReport;
  try {
    report = await verifyDay({
      meterId: h.meterId,
      day: dayNumber(h.date),
      evidence: h.evidence as DayEvidence,
      handover,
      region: (h.regionPath ?? null) as Parameters<typeof verifyDay>[0]['region'],
      local,
      minDepth: h.minDepth,
      resolutionWh: BigInt(h.resolutionWh),
      ...(h.interval !== null ? { interval: h.interval } : {}),
    });
  } catch {
    // Evidence shaped so that the verifier cannot even walk it is refused, never an exception.
    return refused(expected, 'evidence', 'LEDGER_RPC_INVALID_ANSWER', mainReport, started);
  }
  const ms = performance.now() - started;
  findings.push(...compareReports(report, mainReport));
  findings.push(...trustFindings(h));
  // An unreadable interval file is the window's refusal even where both reports agree it was skipped.
  const ok = report.ok && findings.length === 0;
  return { date: h.date, interval: h.interval, report, main: mainReport, ok, findings, trust: h.trust, evidence: h, ms, keccak: keccakBackend() };
}

function stepStatus(report: DayReportDto | null, id: string): string {
  return report?.steps.find((s) => s.id === id)?.status ?? 'absent';
}

/** Every step where the window's status or code is not main's, and the verdict and block B. */
export function compareReports(own: DayReport, main: DayReportDto | null): Finding[] {
  if (!main) return [{ step: 'verdict', main: 'absent', window: own.ok ? 'pass' : 'fail', code: null }];
  const out: Finding[] = [];
  const ids = [...new Set([...own.steps.map((s) => s.id as string), ...main.steps.map((s) => s.id as string)])];
  for (const id of ids) {
    const mine = own.steps.find((s) => s.id === id);
    const theirs = main.steps.find((s) => s.id === id);
    if (!mine || !theirs || mine.status !== theirs.status || mine.code !== theirs.code) {
      out.push({ step: id, main: theirs?.status ?? 'absent', window: mine?.status ?? 'absent', code: mine?.code ?? null });
    }
  }
  if (own.ok !== main.ok && out.length === 0) out.push({ step: 'verdict', main: main.ok ? 'pass' : 'fail', window: own.ok ? 'pass' : 'fail', code: null });
  if ((own.block?.hash ?? null) !== (main.block?.hash?.toLowerCase() ?? null) || (own.block?.number ?? null) !== (main.block?.number ?? null)) {
    out.push({ step: 'header', main: main.block?.hash ?? 'absent', window: own.block?.hash ?? 'absent', code: 'PROOF_BLOCK_MISMATCH' });
  }
  return out;
}

/**
 * What main says the header's hash rests on must be what the evidence holds: two endpoints means a
 * second hash of B is in the evidence (the finality step compares it with the hash computed here).
 */
function trustFindings(h: HandedEvidence): Finding[] {
  if (h.trust.kind === 'two-endpoints' && !h.evidence.second) return [{ step: 'finality', main: 'two-endpoints', window: 'one-endpoint', code: 'PROOF_ENDPOINTS_DISAGREE' }];
  return [];
}
