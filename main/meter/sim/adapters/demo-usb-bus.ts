import { SimulatedDsmrMeter } from '../meters/simulated-dsmr-meter.js';
import type { SimulatedMeterLine } from '../wire.js';
import { SimulatedFtdi } from './simulated-ftdi.js';
import { SimulatedUsbBackend } from './simulated-usb-backend.js';

export interface DemoUsbBus {
  readonly backend: SimulatedUsbBackend;
  readonly cable: SimulatedFtdi;
  readonly meter: SimulatedMeterLine;
}

/** Serial number of the demo P1 cable: what a saved demo meter target names. */
export const DEMO_P1_CABLE_SERIAL = 'WATTLETP1';

/**
 * Demo mode's USB bus: one FTDI P1 cable (FT232R, as most DSMR cables are) plugged in, with a
 * simulated DSMR 5 meter on its serial side. The app reads it through the real FTDI driver.
 */
export function createDemoUsbBus(options: { meter?: SimulatedMeterLine } = {}): DemoUsbBus {
  const backend = new SimulatedUsbBackend();
  const cable = new SimulatedFtdi({ serialNumber: DEMO_P1_CABLE_SERIAL });
  const meter = options.meter ?? new SimulatedDsmrMeter({ version: '5.0' });
  cable.connectMeter(meter);
  backend.plug(cable);
  return { backend, cable, meter };
}
