import { SimulatedCh34x } from '../../../../main/meter/sim/adapters/simulated-ch34x.js';
import { SimulatedCp210x } from '../../../../main/meter/sim/adapters/simulated-cp210x.js';
import { SimulatedPl2303 } from '../../../../main/meter/sim/adapters/simulated-pl2303.js';
import type { SimulatedUsbAdapter } from '../../../../main/meter/sim/adapters/simulated-usb-adapter.js';

/**
 * The simulated chips a FunctionFS gadget plays for Linux's drivers. The PL2303 appears as a TA
 * and as a G (HXN): Linux's composite gadget layer always reports bcdUSB 2.00 (composite.c), so
 * the HX's bcdUSB 1.10 — what tells Linux "HX" — cannot be presented through a gadget.
 */
export const CHIPS = {
  ch34x: { driver: 'ch341-uart', make: (): SimulatedUsbAdapter => new SimulatedCh34x() },
  cp210x: { driver: 'cp210x', make: (): SimulatedUsbAdapter => new SimulatedCp210x() },
  'pl2303-ta': { driver: 'pl2303', make: (): SimulatedUsbAdapter => new SimulatedPl2303({ type: 'ta' }) },
  'pl2303-g': { driver: 'pl2303', make: (): SimulatedUsbAdapter => new SimulatedPl2303({ type: 'hxn' }) },
} as const;

export type ChipName = keyof typeof CHIPS;

export function isChipName(s: string): s is ChipName {
  return s in CHIPS;
}
