import { computeBill, type Bill, type BillInput } from './bill.js';

/**
 * "Cost so far", the one definition the Overview, History and Bills share (issue 17): the bill
 * for the part of a period that has begun — energy up to `now`, standing charges for the days
 * (and months) that have begun — and what the rest of the period's standing charges (with the
 * tax on them) will add by its end, which the whole-period bill includes and this one does not.
 */
export interface BillSoFar {
  /** The bill for [from, through): `bill.to` is `through`. */
  readonly bill: Bill;
  /** The end of the period asked for. */
  readonly periodTo: number;
  /** min(to, max(from, now)): where "so far" ends. */
  readonly through: number;
  /**
   * The whole period's bill minus this one for the same energy: the standing charges of the days
   * not begun yet (and their tax). Zero when the period is over.
   */
  readonly restStanding: number;
}

export function billSoFar(input: BillInput, now: number): BillSoFar {
  const through = Math.min(input.to, Math.max(input.from, now));
  const intervals = input.intervals.filter((iv) => iv.start < through);
  const bill = computeBill({ ...input, to: through, intervals });
  const whole = through === input.to ? bill : computeBill({ ...input, intervals });
  return { bill, periodTo: input.to, through, restStanding: whole.total - bill.total };
}
