import type { HistoryService } from '../history/service.js';
import { tierPeriodStart } from '../history/bill/bill.js';
import { levelId } from '../history/levels.js';
import type { Tariff } from '../history/tariffs/schema.js';

/**
 * The household's tariff as the market needs it (main/history owns it): the active tariff, and
 * the import already counted in its current tier period (which band a next kWh falls in).
 */
export interface HouseholdTariff {
  /** The active tariff; null when none is chosen or it no longer loads. */
  tariff(): Tariff | null;
  /** Wh imported from the start of the tier period containing `atMs` up to `atMs`. */
  tierImportWh(tariff: Tariff, atMs: number): number;
  /** The household's time zone (the history's calendar): offers are shown in it. */
  timeZone(): string;
}

export function historyTariffSource(history: HistoryService): HouseholdTariff {
  return {
    tariff() {
      if (history.activeTariffId === null) return null;
      try {
        return history.tariff();
      } catch {
        return null; // an invalid tariff: the Bills page says why; the market shows no rates
      }
    },
    tierImportWh(tariff, atMs) {
      if (!tariff.tiers) return 0;
      return history.store.db
        .prepare('SELECT COALESCE(SUM(import_wh), 0) FROM rollups WHERE level = ? AND start >= ? AND start < ?')
        .pluck()
        .get(levelId.quarter, tierPeriodStart(tariff, atMs), atMs) as number;
    },
    timeZone: () => history.store.timeZone,
  };
}
