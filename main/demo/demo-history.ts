import type { HistoryService } from '../history/service.js';
import type { MeterSample } from '../history/sample.js';
import { Household } from '../meter/sim/meters/household-day.js';

export const DEMO_METER_ID = 'E0025000123456789';
export const DEMO_SEED = 1;
export const DEMO_TARIFF_ID = 'example-eu-tou-feed-in';
const STEP_MS = 60_000;
const DAY_MS = 86_400_000;
const BATCH = 50_000;

export interface DemoRegisters {
  readonly import1: number;
  readonly import2: number;
  readonly export1: number;
  readonly export2: number;
}

/**
 * Demo mode's past: the simulated household's readings, one a minute, from `days` ago (or from
 * the newest stored reading) up to now, so History, Bills and the Ledger have something to show.
 * Returns the registers at `now`, where the live simulated meter must start so that its first
 * telegram continues this history instead of looking like a new meter.
 */
export function backfillDemoHistory(history: HistoryService, now: number, days: number): DemoRegisters {
  const latest = history.store.latest();
  const start = latest && latest.meter === DEMO_METER_ID ? latest.ts : Math.floor((now - days * DAY_MS) / STEP_MS) * STEP_MS;
  const household = new Household({
    seed: DEMO_SEED,
    ...(latest && latest.meter === DEMO_METER_ID
      ? { startWh: { import1: latest.importWh, import2: 0, export1: latest.exportWh ?? 0, export2: 0 } }
      : {}),
  });
  let state = household.at(start);
  let batch: MeterSample[] = [];
  for (let t = start + STEP_MS; t <= now; t += STEP_MS) {
    state = household.at(t);
    batch.push({
      meter: DEMO_METER_ID,
      ts: t,
      importWh: state.import1Wh + state.import2Wh,
      exportWh: state.export1Wh + state.export2Wh,
      powerW: state.importW - state.exportW,
    });
    if (batch.length === BATCH) {
      history.append(batch);
      batch = [];
    }
  }
  if (batch.length) history.append(batch);
  state = household.at(now);
  return { import1: state.import1Wh, import2: state.import2Wh, export1: state.export1Wh, export2: state.export2Wh };
}
