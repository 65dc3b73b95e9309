import type { TimelineEntry } from '../api/market.js';
import type { OfferRecord } from './market-chain.js';
import { SETTLEMENT_GRACE_SECONDS } from './offer.js';
import { deliveredWh } from './pricing.js';

/**
 * What the ledger recorded of one sale, with the times of its events (chain time, unix seconds):
 * the facts a timeline is drawn from. Anchors are those of the window's days (null: not yet).
 */
export interface SaleFacts {
  readonly record: OfferRecord;
  readonly now: number;
  readonly listedAt: number | null;
  readonly fills: ReadonlyArray<{ readonly at: number; readonly buyer: string; readonly energyWh: number; readonly paid: bigint }>;
  readonly anchoredAt: ReadonlyArray<number | null>;
  readonly settledAt: number | null;
  readonly reclaims: ReadonlyArray<{ readonly at: number; readonly buyer: string; readonly amount: bigint }>;
}

type Status = TimelineEntry['status'];
const entry = (step: TimelineEntry['step'], status: Status, at: number | null, facts: TimelineEntry['facts'] = {}): TimelineEntry => ({ step, status, at, facts });

function deliveryStep(f: SaleFacts, sold: boolean): TimelineEntry {
  const r = f.record;
  if (!sold) return entry('delivery', 'skipped', r.deliveryEnd, { start: r.deliveryStart, end: r.deliveryEnd });
  const status: Status = f.now >= r.deliveryEnd ? 'done' : f.now >= r.deliveryStart ? 'current' : 'pending';
  return entry('delivery', status, status === 'pending' ? r.deliveryStart : r.deliveryEnd, { start: r.deliveryStart, end: r.deliveryEnd });
}

function anchorStep(f: SaleFacts, sold: boolean): TimelineEntry {
  const r = f.record;
  if (!sold) return entry('anchored', 'skipped', null);
  const all = f.anchoredAt.length > 0 && f.anchoredAt.every((a) => a !== null);
  if (all || r.settled) {
    const at = all ? Math.max(...(f.anchoredAt as number[])) : f.settledAt;
    return entry('anchored', 'done', at, { days: f.anchoredAt.length });
  }
  const deadline = r.deliveryEnd + SETTLEMENT_GRACE_SECONDS;
  if (f.now >= deadline) return entry('anchored', 'failed', deadline, { days: f.anchoredAt.length });
  return entry('anchored', f.now >= r.deliveryEnd ? 'current' : 'pending', null, { days: f.anchoredAt.length });
}

function settleStep(f: SaleFacts, sold: boolean): TimelineEntry {
  const r = f.record;
  const deadline = r.deliveryEnd + SETTLEMENT_GRACE_SECONDS;
  if (!sold) return entry('settled', 'skipped', null);
  if (r.settled) return entry('settled', 'done', f.settledAt, { provenWh: r.provenWh, deliveredWh: deliveredWh(r.provenWh, r.filledWh), soldWh: r.filledWh });
  if (f.now >= deadline) return entry('lapsed', 'failed', deadline, { soldWh: r.filledWh });
  return entry('settled', f.now >= r.deliveryEnd ? 'current' : 'pending', deadline, { soldWh: r.filledWh });
}

/**
 * A seller's sale, step by step: listed, bought, delivered, anchored by the operator, settled on
 * the ledger (or not in time), paid. Each step is done, current, pending, skipped or failed.
 */
export function sellerTimeline(f: SaleFacts): TimelineEntry[] {
  const r = f.record;
  const sold = r.filledWh > 0;
  const closedUnsold = !sold && (r.cancelled || f.now >= r.expiry);
  const first = f.fills[0];
  const steps: TimelineEntry[] = [
    entry('listed', 'done', f.listedAt, { energyWh: r.energyWh }),
    sold
      ? entry('bought', 'done', first?.at ?? null, { soldWh: r.filledWh, buyers: new Set(f.fills.map((x) => x.buyer.toLowerCase())).size, escrow: r.escrow.toString() })
      : entry('bought', closedUnsold ? 'skipped' : 'current', closedUnsold ? null : r.expiry, {}),
    deliveryStep(f, sold),
    anchorStep(f, sold),
    settleStep(f, sold),
  ];
  if (sold) {
    steps.push(
      r.settled
        ? entry('paid', 'done', f.settledAt, { amount: r.sellerPaid.toString(), refund: (r.escrow - r.sellerPaid).toString() })
        : entry('paid', f.now >= r.deliveryEnd + SETTLEMENT_GRACE_SECONDS ? 'skipped' : 'pending', null, {}),
    );
  }
  return steps;
}

/**
 * A buyer's purchase, step by step: bought, delivered, anchored, settled (or not in time), and
 * the refund: what the seller did not prove, or everything when settlement never came.
 */
export function buyerTimeline(f: SaleFacts, buyer: string, paid: bigint, refund: bigint | null, reclaimed: boolean): TimelineEntry[] {
  const me = buyer.toLowerCase();
  const mine = f.fills.filter((x) => x.buyer.toLowerCase() === me);
  const bought = mine.reduce((s, x) => s + x.energyWh, 0);
  const steps: TimelineEntry[] = [
    entry('bought', 'done', mine[0]?.at ?? null, { energyWh: bought, paid: paid.toString() }),
    deliveryStep(f, true),
    anchorStep(f, true),
    settleStep(f, true),
  ];
  const back = f.reclaims.find((x) => x.buyer.toLowerCase() === me);
  if (reclaimed) steps.push(entry('reclaimed', 'done', back?.at ?? null, { amount: back ? back.amount.toString() : null }));
  else if (refund === null) steps.push(entry('refund', 'pending', f.record.settled ? null : f.record.deliveryEnd + SETTLEMENT_GRACE_SECONDS, {}));
  else steps.push(entry('refund', refund > 0n ? 'current' : 'skipped', null, { amount: refund.toString() }));
  return steps;
}
