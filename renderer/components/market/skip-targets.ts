import type { OfferState } from '../../../main/api/market.js';

/** EnergyMarket's SETTLEMENT_GRACE: after it, buyers take back what was not settled. */
const GRACE_SECONDS = 3 * 86_400;
const DAY = 86_400;

/**
 * Where the demo's "skip" moves the chain's clock for a sale: past the end of the window's last
 * day, plus an hour (the day is closed and the demo operator anchors it, so delivery, the anchor
 * and the proof can follow), or past the time to settle (a sale never settled refunds its buyers).
 * Null when the chain is already there, or the sale has nothing left to wait for.
 */
export function skipTargets(
  offer: { deliveryStart: number; deliveryEnd: number },
  state: OfferState,
  chainNow: number,
): { afterDelivery: number | null; afterGrace: number | null } {
  const closed = ['settled', 'cancelled', 'expired', 'lapsed'].includes(state);
  const afterDelivery = (Math.floor((offer.deliveryEnd - 1) / DAY) + 1) * DAY + 3600;
  const afterGrace = offer.deliveryEnd + GRACE_SECONDS + 60;
  return {
    afterDelivery: !closed && chainNow < afterDelivery ? afterDelivery : null,
    afterGrace: state === 'awaiting-settlement' && chainNow < afterGrace ? afterGrace : null,
  };
}
