/**
 * A verification report: the household's checks (LEDGER.md) as steps, each pass or fail with
 * every value it compared, so a person (or support) can see exactly what was checked against what.
 */
export type StepId = 'readings' | 'leaves' | 'region' | 'anchor' | 'header' | 'checkpoint' | 'finality';
export const stepOrder: readonly StepId[] = ['readings', 'leaves', 'region', 'anchor', 'header', 'checkpoint', 'finality'];

/**
 * How the operator anchored the day (LEDGER.md): 'region', one root per (region, day) over its
 * meters' day roots, so the proof has two Merkle levels (intervals → meter-day root → region-day
 * root); 'meter', one root per (meter, day) (small operators), so the 'region' step is skipped.
 */
export type AnchorDesign = 'region' | 'meter';

export interface Comparison {
  /** What is compared, e.g. 'interval 2025-03-01T00:15Z importWh', 'stateRoot'. */
  readonly subject: string;
  /** The trusted side: my meter, the computed hash, the proven value. */
  readonly expected: string;
  /** The side under test: the operator's value, the RPC's claim. */
  readonly actual: string;
  readonly ok: boolean;
}

export interface VerifyStep {
  readonly id: StepId;
  readonly status: 'pass' | 'fail' | 'skipped';
  /** Error code (translated in the UI) when the step failed or was skipped for a reason. */
  readonly code: string | null;
  readonly message: string;
  readonly comparisons: Comparison[];
}

export interface DayReport {
  readonly meterId: string;
  readonly day: number;
  readonly date: string;
  readonly contract: string;
  readonly chainId: number;
  readonly block: { readonly number: number; readonly hash: string } | null;
  /** Set when only one interval was verified. */
  readonly interval: number | null;
  /** Which design the day was proven under. */
  readonly design: AnchorDesign;
  /** The region the meter is anchored in (from its registration, proven in storage), with the meter count its anchor stores. */
  readonly region: { readonly id: string; readonly meters: string | null } | null;
  /**
   * The checkpoint the household pinned, when block B was checked against it (header-chain.ts):
   * what the verdict rests on beyond the endpoint's word. Null when none is pinned.
   */
  readonly checkpoint?: {
    readonly number: number;
    readonly hash: string;
    readonly pinnedAt: string;
    readonly source: { readonly kind: 'bill' | 'file' | 'rpc'; readonly label: string };
    /** How B stands to it; null when the chain could not be checked. */
    readonly relation: 'at' | 'ancestor' | 'descendant' | null;
  } | null;
  readonly ok: boolean;
  readonly steps: VerifyStep[];
}

export function step(
  id: StepId,
  comparisons: Comparison[],
  failCode: string,
  passMessage: string,
  failMessage: string,
): VerifyStep {
  const ok = comparisons.length > 0 && comparisons.every((c) => c.ok);
  return ok
    ? { id, status: 'pass', code: null, message: passMessage, comparisons }
    : { id, status: 'fail', code: failCode, message: failMessage, comparisons };
}

export function failed(id: StepId, code: string, message: string, comparisons: Comparison[] = []): VerifyStep {
  return { id, status: 'fail', code, message, comparisons };
}

export function skipped(id: StepId, code: string | null, message: string): VerifyStep {
  return { id, status: 'skipped', code, message, comparisons: [] };
}

/**
 * A step whose comparisons come in groups, each failing with its own code: the step's code is
 * that of the first failing group in `priority` order (a leaf not under its root says more than
 * the totals it then also breaks).
 */
export function groupedStep(
  id: StepId,
  groups: ReadonlyArray<{ readonly code: string; readonly comparisons: readonly Comparison[] }>,
  priority: readonly string[],
  passMessage: string,
  failMessage: string,
): VerifyStep {
  const comparisons = groups.flatMap((g) => g.comparisons);
  const failing = new Set(groups.filter((g) => g.comparisons.some((c) => !c.ok)).map((g) => g.code));
  if (comparisons.length > 0 && failing.size === 0) return { id, status: 'pass', code: null, message: passMessage, comparisons };
  const code = priority.find((c) => failing.has(c)) ?? [...failing][0] ?? groups[0]?.code ?? null;
  return { id, status: 'fail', code, message: failMessage, comparisons };
}

export function compare(subject: string, expected: string, actual: string): Comparison {
  return { subject, expected, actual, ok: expected === actual };
}
