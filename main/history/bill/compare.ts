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
 * Why a line differs (or why it was not compared), as a code the UI translates:
 * - rounding: within what per-line rounding can explain;
 * - energy-differs: the utility counted other kWh (estimated read, other read dates, our gaps);
 * - history-gaps: our readings do not cover the whole period, so our kWh are a lower bound;
 * - price-differs: same kWh, other money: the tariff changed or is not the one on the bill;
 * - not-on-bill / not-in-tariff: a line exists on one side only (a fee the tariff lacks …);
 * - not-typed: the person left the line empty and the typed total agrees with our amount for it,
 *   so nothing says it differs (most people type only the lines they doubt).
 */
export type DifferenceReason = 'rounding' | 'energy-differs' | 'history-gaps' | 'price-differs' | 'not-on-bill' | 'not-in-tariff' | 'not-typed';

export interface ComparisonRow {
  readonly key: string;
  readonly oursEnergyWh: number | null;
  readonly oursAmount: number | null;
  readonly theirsEnergyWh: number | null;
  readonly theirsAmount: number | null;
  /** theirs − ours */
  readonly energyDiffWh: number | null;
  readonly amountDiff: number | null;
  /** 'unchecked': a line of ours the person left empty (nothing to compare it with). */
  readonly status: 'match' | 'rounding' | 'differs' | 'unchecked';
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
  /**
   * The row with the largest absolute amount difference (theirs − ours) among the rows that
   * differ; null when none does, or when more of the total's difference lies in lines left empty
   * (`untypedDiff`) than in any one typed line.
   */
  readonly largestKey: string | null;
  /**
   * The part of the total's difference no typed line accounts for: theirs.total − ours.total − Σ
   * the typed lines' differences. Non-zero means the lines left empty (or a line missing on
   * either side) carry that much.
   */
  readonly untypedDiff: number;
}

export function compareBill(bill: Bill, theirs: UtilityBill): BillComparison {
  const gaps = bill.coverage < 1000;
  const byKey = new Map(theirs.lines.map((l) => [l.key, l]));
  const rows: ComparisonRow[] = [];
  const untyped: Array<{ index: number; amount: number }> = [];
  for (const line of bill.lines) {
    const t = byKey.get(line.key);
    byKey.delete(line.key);
    if (!t || (t.amount == null && t.energyWh == null)) {
      // Left empty: decided below, once the typed lines say how much of the total they explain.
      untyped.push({ index: rows.length, amount: line.amount });
      rows.push(row(line.key, line.energyWh, line.amount, null, null, line.amount === 0 ? 'match' : 'unchecked', line.amount === 0 ? [] : ['not-typed'], null, null));
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
  // What the typed lines explain: each compared line's difference, and a line only the utility has in full.
  const explained = rows.reduce((s, r) => s + (r.amountDiff ?? (r.oursAmount === null ? (r.theirsAmount ?? 0) : 0)), 0);
  const untypedDiff = totalDiff - explained;
  const untypedOurs = untyped.reduce((s, u) => s + u.amount, 0);
  // Rounding can move a total by at most one minor unit per line.
  const slack = rows.length;
  if (untyped.length > 0 && untypedOurs !== 0 && Math.abs(untypedDiff + untypedOurs) <= slack && Math.abs(untypedDiff) > slack) {
    // The utility's total leaves out exactly what the empty lines would charge: they are not on its bill.
    for (const u of untyped) {
      const r = rows[u.index]!;
      if (r.oursAmount !== 0) rows[u.index] = { ...r, status: 'differs', reasons: ['not-on-bill'], amountDiff: -(r.oursAmount ?? 0) };
    }
  }
  const residual = totalDiff - rows.reduce((s, r) => s + (r.amountDiff ?? (r.oursAmount === null ? (r.theirsAmount ?? 0) : 0)), 0);
  const status =
    totalDiff === 0 && rows.every((r) => r.status !== 'differs')
      ? 'match'
      : Math.abs(totalDiff) <= slack && rows.every((r) => r.status !== 'differs')
        ? 'rounding'
        : 'differs';
  // The headline names the line with the largest absolute difference in money; a line left
  // empty has no difference of its own and is never named (issue 17: the whole difference in
  // "Energy, peak" was headlined as "Energy, valley", the largest line the person had not typed).
  let largestKey: string | null = null;
  let largest = 0;
  for (const r of rows) {
    if (r.status !== 'differs') continue;
    const d = Math.abs(r.amountDiff ?? r.theirsAmount ?? 0);
    if (d > largest) {
      largest = d;
      largestKey = r.key;
    }
  }
  if (Math.abs(residual) > largest && Math.abs(residual) > slack) largestKey = null;
  return { rows, oursTotal: bill.total, theirsTotal: theirs.total, totalDiff, status, largestKey, untypedDiff: residual };
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
