/**
 * What each boot runs, in order, shared by the guest program and the host harness. One boot per
 * family keeps the suite inside its time budget (a TCG boot is 15–40 s on this machine).
 */
export const FAMILY_SCENARIOS = {
  /** QEMU's emulated FT232B on an xHCI controller; the meter is on the host, behind QEMU's chardev. */
  ftdi: ['dsmr', 'iec', 'unplug', 'hotplug', 'os-dsmr', 'os-iec'],
  /** Linux's own gadget stack over dummy_hcd inside the guest: CDC-ACM, then the simulated chips. */
  gadget: ['acm-dsmr', 'acm-iec', 'acm-os-dsmr', 'acm-os-iec', 'chip-ch34x', 'chip-cp210x', 'chip-pl2303-ta', 'chip-pl2303-g'],
} as const;

export type Family = keyof typeof FAMILY_SCENARIOS;
export type ScenarioName = (typeof FAMILY_SCENARIOS)[Family][number];

export function isFamily(s: string): s is Family {
  return s in FAMILY_SCENARIOS;
}

/** DSMR scenarios: telegrams per readout. The unplug scenarios: 2 whole, 1 torn, 2 whole. */
export const DSMR_TELEGRAMS = 5;
export const UNPLUG_READINGS = 4;

/** The line settings every chip scenario asks Linux's driver for, with `stty`. */
export const CHIP_STEPS = [
  { line: { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 }, stty: ['300', 'cs7', 'parenb', '-parodd', '-cstopb'] },
  { line: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }, stty: ['9600', 'cs8', '-parenb', '-cstopb'] },
  { line: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 }, stty: ['115200', 'cs8', '-parenb', '-cstopb'] },
] as const;

/** The hot-plug scenario's session waits this long before a retry of its own: only an event can be quicker. */
export const HOTPLUG_BACKOFF_MS = 600_000;
