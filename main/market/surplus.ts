import { WattletError } from '../api/errors.js';
import type { ExportHistory } from './export-history.js';
import { DAY_SECONDS, INTERVAL_SECONDS, MAX_WINDOW_SECONDS } from './offer.js';

export interface SurplusEstimate {
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly estimatedExportWh: number;
  readonly alreadyOfferedWh: number;
  readonly availableWh: number;
  /** How many past days had data for the same hours. */
  readonly basisDays: number;
}

export function checkWindow(start: number, end: number): void {
  if (start % INTERVAL_SECONDS !== 0 || end % INTERVAL_SECONDS !== 0 || end <= start || end - start > MAX_WINDOW_SECONDS) {
    throw new WattletError('MARKET_INVALID_WINDOW', 'The window must be whole 15-minute intervals, at most 7 days', {
      deliveryStart: start,
      deliveryEnd: end,
    });
  }
}

/**
 * Export expected in a window: the same hours on each of the last `lookbackDays` days that lie fully
 * in the past (solar follows the clock), averaged over the days with data, rounded down so the
 * estimate never promises a Wh that was not seen. Energy that open offers already sell in the window
 * is subtracted: the same panels cannot back two offers.
 */
export async function estimateSurplus(
  history: ExportHistory,
  window: { deliveryStart: number; deliveryEnd: number },
  now: number,
  lookbackDays: number,
  alreadyOfferedWh: number,
): Promise<SurplusEstimate> {
  checkWindow(window.deliveryStart, window.deliveryEnd);
  let total = 0;
  let basisDays = 0;
  // k counts back whole days; days that are not fully past yet are skipped (terminates: `to` falls with k).
  for (let k = 1, eligible = 0; eligible < lookbackDays; k++) {
    const from = window.deliveryStart - k * DAY_SECONDS;
    const to = window.deliveryEnd - k * DAY_SECONDS;
    if (to > now) continue;
    eligible++;
    const wh = await history.exportWh(from, to);
    if (wh !== null) {
      total += wh;
      basisDays++;
    }
  }
  const estimated = basisDays === 0 ? 0 : Math.floor(total / basisDays);
  return {
    ...window,
    estimatedExportWh: estimated,
    alreadyOfferedWh,
    availableWh: Math.max(0, estimated - alreadyOfferedWh),
    basisDays,
  };
}

/** Wh of an offer that falls in a window, pro rata by overlapping seconds (rounded up: conservative). */
export function overlapWh(offer: { energyWh: number; deliveryStart: number; deliveryEnd: number }, start: number, end: number): number {
  const o = Math.min(end, offer.deliveryEnd) - Math.max(start, offer.deliveryStart);
  if (o <= 0) return 0;
  const len = offer.deliveryEnd - offer.deliveryStart;
  return Math.ceil((offer.energyWh * o) / len);
}
