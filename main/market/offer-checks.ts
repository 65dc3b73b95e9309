import { formatUnits } from 'ethers';
import type { RatesJson, TokenJson } from '../api/market.js';
import type { ApprovalCheck } from '../api/wallet.js';
import { dayOf, formatDay } from '../ledger/day.js';
import { DAY_SECONDS, SETTLEMENT_GRACE_SECONDS } from './offer.js';
import type { DayIntervals } from './settlement-proof.js';

/** What the market knows that the wallet cannot, to check an offer before the person approves it. */
export interface OfferCheckInput {
  readonly energyWh: number;
  readonly pricePerKWh: bigint;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly token: TokenJson;
  /** The seller's own tariff for the window (null without one). */
  readonly rates: RatesJson | null;
  /** The newest day the operator anchored for the seller's meter; null when never. */
  readonly lastAnchoredDay: number | null;
  /** Chain time. */
  readonly now: number;
  /** The operator's anchored export in the same hours of recent days. */
  readonly comparable: ComparableExport;
}

export interface ComparableExport {
  /** The most anchored export in the window's hours on one of those days. */
  readonly maxWh: number;
  /** How many recent days the operator handed over. */
  readonly days: number;
}

/**
 * Checks in Rabby's manner for a sell offer, each a finding with its facts, never a refusal (the
 * person decides): a price below what the grid pays for the same export, or above what a
 * neighbour on the same tariff pays the grid; a window the operator will, at its present pace,
 * not have anchored before the time to settle runs out (the sale would then refund everything);
 * more energy than the operator anchored in the same hours of recent days.
 */
export function offerChecks(i: OfferCheckInput): ApprovalCheck[] {
  const out: ApprovalCheck[] = [];
  const money = (units: bigint) => formatUnits(units, i.token.decimals);
  if (i.rates && i.rates.feedInUnits !== null && i.rates.importUnits !== null) {
    const feedIn = BigInt(i.rates.feedInUnits);
    const imp = BigInt(i.rates.importUnits);
    if (i.pricePerKWh < feedIn) {
      out.push({ id: 'priceBelowFeedIn', severity: 'warning', source: 'market', params: { price: money(i.pricePerKWh), feedIn: money(feedIn), currency: i.rates.currency } });
    } else if (i.pricePerKWh > imp) {
      out.push({ id: 'priceAboveImport', severity: 'info', source: 'market', params: { price: money(i.pricePerKWh), import: money(imp), currency: i.rates.currency } });
    }
  } else {
    out.push({ id: 'priceNotComparable', severity: 'info', source: 'market', params: { symbol: i.token.symbol, currency: i.rates?.currency ?? null } });
  }
  const settleBy = i.deliveryEnd + SETTLEMENT_GRACE_SECONDS;
  if (i.lastAnchoredDay === null) {
    out.push({ id: 'windowNotAnchorable', severity: 'warning', source: 'market', params: { lastAnchored: null, settleBy } });
  } else {
    // The operator anchors a closed day some days late; at that pace the window's last day is anchored by:
    const lag = Math.max(0, dayOf(i.now) - 1 - i.lastAnchoredDay);
    const lastDay = dayOf(i.deliveryEnd - 1);
    const expected = (lastDay + 2 + lag) * DAY_SECONDS;
    if (expected > settleBy) {
      out.push({ id: 'windowNotAnchorable', severity: 'warning', source: 'market', params: { lastAnchored: formatDay(i.lastAnchoredDay), settleBy } });
    }
  }
  if (i.comparable.days === 0) {
    out.push({ id: 'noAnchoredExport', severity: 'warning', source: 'market', params: { days: 0 } });
  } else if (i.energyWh > i.comparable.maxWh) {
    out.push({ id: 'moreThanAnchoredExport', severity: 'warning', source: 'market', params: { energyWh: i.energyWh, maxWh: i.comparable.maxWh, days: i.comparable.days } });
  }
  return out;
}

/**
 * The operator's anchored export in the window's hours on each of the last `lookbackDays` days
 * that lie wholly in the past, from its handovers (only anchored days are handed over): the most
 * on one day, and how many days it had.
 */
export async function comparableExport(
  intervals: DayIntervals,
  meterId: string,
  window: { deliveryStart: number; deliveryEnd: number },
  now: number,
  lookbackDays: number,
): Promise<ComparableExport> {
  let maxWh = 0;
  let days = 0;
  for (let k = 1, seen = 0; seen < lookbackDays && k <= lookbackDays + 8; k++) {
    const from = window.deliveryStart - k * DAY_SECONDS;
    const to = window.deliveryEnd - k * DAY_SECONDS;
    if (to > now) continue;
    seen++;
    let total = 0n;
    let any = false;
    for (let d = dayOf(from); d <= dayOf(to - 1); d++) {
      const leaves = await intervals(meterId, d);
      for (const l of leaves) {
        if (l.start >= from && l.start < to) {
          total += BigInt(l.exportWh);
          any = true;
        }
      }
    }
    if (!any) continue;
    days++;
    if (Number(total) > maxWh) maxWh = Number(total);
  }
  return { maxWh, days };
}
