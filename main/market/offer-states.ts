import type { OfferState, ProofStatus } from '../api/market.js';
import type { FillInfo, OfferRecord } from './market-chain.js';
import { SETTLEMENT_GRACE_SECONDS } from './offer.js';
import { buyerRefund, deliveredWh } from './pricing.js';

/** Where an offer is, judged by the contract's clock (`now` = latest block time). */
export function offerStateOf(r: OfferRecord, now: number): OfferState {
  if (r.settled) return 'settled';
  const sold = r.filledWh > 0;
  const closed = r.cancelled ? 'cancelled' : 'expired';
  if (now >= r.deliveryEnd + SETTLEMENT_GRACE_SECONDS) return sold ? 'lapsed' : closed;
  if (now >= r.deliveryEnd) return sold ? 'awaiting-settlement' : closed;
  if (now >= r.deliveryStart) return sold ? 'delivering' : closed;
  if (r.cancelled) return 'cancelled';
  if (r.filledWh >= r.energyWh) return 'filled';
  if (now >= r.expiry) return 'expired';
  return 'open';
}

/**
 * What the chain alone says about the proof of delivery. `anchored` tells whether every day of the
 * window has an operator root (asked only when it matters). The seller refines `anchored` to
 * ready / root-mismatch / intervals-missing by building the multiproof from its own intervals.
 */
export function chainProofStatus(r: OfferRecord, now: number, anchored: () => Promise<boolean>): Promise<ProofStatus> | ProofStatus {
  if (r.filledWh === 0) return 'none';
  if (r.settled) return 'proven';
  if (now < r.deliveryEnd) return 'pending-delivery';
  if (now >= r.deliveryEnd + SETTLEMENT_GRACE_SECONDS) return 'unproven';
  return anchored().then((ok) => (ok ? 'anchored' : 'awaiting-anchor'));
}

export function canCancel(r: OfferRecord, now: number): boolean {
  return !r.cancelled && !r.settled && now < r.expiry && r.filledWh < r.energyWh;
}

export function canSettle(r: OfferRecord, now: number): boolean {
  return !r.settled && r.filledWh > 0 && now >= r.deliveryEnd && now < r.deliveryEnd + SETTLEMENT_GRACE_SECONDS;
}

/** The buyer's refund if it reclaimed now; null while it is not yet known (before settlement or grace). */
export function refundOf(r: OfferRecord, f: FillInfo, now: number): bigint | null {
  if (r.settled) return buyerRefund(f.paid, deliveredWh(r.provenWh, r.filledWh), r.filledWh);
  if (now >= r.deliveryEnd + SETTLEMENT_GRACE_SECONDS) return f.paid;
  return null;
}
