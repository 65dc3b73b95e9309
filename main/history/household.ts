import type { HistoryService } from './service.js';

/** Where the household lives and what it pays in, as the History and Bills pages know it. */
export interface HouseholdFacts {
  readonly timeZone: string;
  /** The active tariff's currency; null until a tariff is chosen, or when it no longer loads. */
  readonly currency: string | null;
}

/** The history's calendar zone and the active tariff's currency (the wallet shows offers in them). */
export function householdOf(history: HistoryService): HouseholdFacts {
  let currency: string | null = null;
  if (history.activeTariffId !== null) {
    try {
      currency = history.tariff().currency;
    } catch {
      currency = null; // a tariff that no longer validates: the Bills page says why; offers show the chain's unit
    }
  }
  return { timeZone: history.store.timeZone, currency };
}
