/**
 * A verification report: the household's checks (LEDGER.md) as steps, each pass or fail with
 * every value it compared, so a person (or support) can see exactly what was checked against what.
 */
export type StepId = 'readings' | 'leaves' | 'anchor' | 'header' | 'finality';
export const stepOrder: readonly StepId[] = ['readings', 'leaves', 'anchor', 'header', 'finality'];

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

export function compare(subject: string, expected: string, actual: string): Comparison {
  return { subject, expected, actual, ok: expected === actual };
}
