import type { HistoryService } from '../history/service.js';
import type { MeterSource } from '../meter/meter-source.js';
import { defaultLine } from '../meter/session/meter-target.js';
import { createDemoUsbBus, DEMO_P1_CABLE_SERIAL } from '../meter/sim/adapters/demo-usb-bus.js';
import { SimulatedDsmrMeter } from '../meter/sim/meters/simulated-dsmr-meter.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { backfillDemoHistory, DEMO_METER_ID, DEMO_SEED, DEMO_TARIFF_ID } from './demo-history.js';

export interface DemoMeter extends Disposable {
  readonly source: MeterSource;
}

/**
 * Demo mode's meter: the simulated household's past written into the history (so History,
 * Bills and the Ledger have something to show), then a simulated DSMR 5 meter that continues
 * it, on a simulated FTDI P1 cable the real driver reads. The household is Dutch, so an empty
 * tariff choice becomes the European time-of-use example.
 */
export function startDemoMeter(history: HistoryService, now: number, days: number): DemoMeter {
  const startWh = backfillDemoHistory(history, now, days);
  if (history.activeTariffId === null) history.setActiveTariff(DEMO_TARIFF_ID);
  const meter = new SimulatedDsmrMeter({ version: '5.0', seed: DEMO_SEED, equipmentId: DEMO_METER_ID, household: { startWh } });
  const bus = createDemoUsbBus({ meter });
  return {
    source: { selector: DEMO_P1_CABLE_SERIAL, serial: DEMO_METER_ID, backend: bus.backend, target: { protocol: 'dsmr', line: defaultLine('dsmr') } },
    dispose: () => bus.backend.dispose(),
  };
}
