import type { Bill } from './bill.js';

/** One line as typed in from the utility's bill; the key says which of our lines it is. */
export interface UtilityLine {
  readonly key: string;
  readonly energyWh?: number | null;
  readonly amount?: number | null;
}

export interface UtilityBill {
  readonly lines: readonly UtilityLine[];
  readonly total: number;
}

/**
 * Why a line differs, as a code the UI translates:
 * - rounding: within what per-line rounding can explain;
 * - energy-differs: the utility counted other kWh (estimated read, other read dates, our gaps);
 * - history-gaps: our readings do not cover the whole period, so our kWh are a lower bound;
 * - price-differs: same kWh, other money: the tariff changed or is not the one on the bill;
 * - not-on-bill / not-in-tariff: a line exists on one side only (a fee the tariff lacks …).
 */
export type DifferenceReason = 'rounding' | 'energy-differs' | 'history-gaps' | 'price-differs' | 'not-on-bill' | 'not-in-tariff';

export interface ComparisonRow {
  readonly key: string;
  readonly oursEnergyWh: number | null;
  readonly oursAmount: number | null;
  readonly theirsEnergyWh: number | null;
  readonly theirsAmount: number | null;
  /** theirs − ours */
  readonly energyDiffWh: number | null;
  readonly amountDiff: number | null;
  readonly status: 'match' | 'rounding' | 'differs';
  readonly reasons: DifferenceReason[];
  /** What the utility's figures imply per kWh (milli-minor/kWh), when it can be worked out. */
  readonly impliedUnitPrice: number | null;
  readonly ourUnitPrice: number | null;
}

export interface BillComparison {
  readonly rows: ComparisonRow[];
  readonly oursTotal: number;
  readonly theirsTotal: number;
  readonly totalDiff: number;
  readonly status: 'match' | 'rounding' | 'differs';
  /** The row that explains most of the total difference, when there is one. */
  readonly largestKey: string | null;
}

export function compareBill(bill: Bill, theirs: UtilityBill): BillComparison {
  const gaps = bill.coverage < 1000;
  const byKey = new Map(theirs.lines.map((l) => [l.key, l]));
  const rows: ComparisonRow[] = [];
  for (const line of bill.lines) {
    const t = byKey.get(line.key);
    byKey.delete(line.key);
    if (!t) {
      rows.push(row(line.key, line.energyWh, line.amount, null, null, line.amount === 0 ? 'match' : 'differs', line.amount === 0 ? [] : ['not-on-bill'], null, null));
      continue;
    }
    const energyDiff = t.energyWh != null && line.energyWh != null ? t.energyWh - line.energyWh : null;
    const amountDiff = t.amount != null ? t.amount - line.amount : null;
    const reasons: DifferenceReason[] = [];
    const isEnergyLine = line.kind !== 'standing' && line.kind !== 'tax';
    if (energyDiff !== null && energyDiff !== 0) {
      reasons.push('energy-differs');
      if (gaps && energyDiff > 0) reasons.push('history-gaps');
    }
    const implied =
      isEnergyLine && t.amount != null && t.energyWh ? Math.round((Math.abs(t.amount) * 1_000_000) / t.energyWh) : null;
    // Same kWh (or none typed), different money beyond one minor unit: the price is not ours.
    if (amountDiff !== null && Math.abs(amountDiff) > 1 && (energyDiff === null || energyDiff === 0)) reasons.push('price-differs');
    if (amountDiff !== null && Math.abs(amountDiff) === 1 && reasons.length === 0) reasons.push('rounding');
    const status = reasons.length === 0 ? 'match' : reasons.length === 1 && reasons[0] === 'rounding' ? 'rounding' : 'differs';
    rows.push(row(line.key, line.energyWh, line.amount, t.energyWh ?? null, t.amount ?? null, status, reasons, implied, isEnergyLine ? line.unitPrice : null));
  }
  for (const t of byKey.values()) {
    const some = (t.amount ?? 0) !== 0 || (t.energyWh ?? 0) !== 0;
    rows.push(row(t.key, null, null, t.energyWh ?? null, t.amount ?? null, some ? 'differs' : 'match', some ? ['not-in-tariff'] : [], null, null));
  }
  const totalDiff = theirs.total - bill.total;
  // Rounding can move the total by at most one minor unit per line.
  const status = totalDiff === 0 ? 'match' : Math.abs(totalDiff) <= rows.length && rows.every((r) => r.status !== 'differs') ? 'rounding' : 'differs';
  let largestKey: string | null = null;
  let largest = 0;
  for (const r of rows) {
    const d = Math.abs(r.amountDiff ?? r.theirsAmount ?? r.oursAmount ?? 0);
    if (r.status === 'differs' && d > largest) {
      largest = d;
      largestKey = r.key;
    }
  }
  return { rows, oursTotal: bill.total, theirsTotal: theirs.total, totalDiff, status, largestKey };
}

function row(
  key: string,
  oursEnergyWh: number | null,
  oursAmount: number | null,
  theirsEnergyWh: number | null,
  theirsAmount: number | null,
  status: ComparisonRow['status'],
  reasons: DifferenceReason[],
  impliedUnitPrice: number | null,
  ourUnitPrice: number | null,
): ComparisonRow {
  return {
    key,
    oursEnergyWh,
    oursAmount,
    theirsEnergyWh,
    theirsAmount,
    energyDiffWh: oursEnergyWh !== null && theirsEnergyWh !== null ? theirsEnergyWh - oursEnergyWh : null,
    amountDiff: oursAmount !== null && theirsAmount !== null ? theirsAmount - oursAmount : null,
    status,
    reasons,
    impliedUnitPrice,
    ourUnitPrice,
  };
}
