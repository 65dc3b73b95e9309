import { expect } from 'vitest';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import type { SerialPort } from '../../../../main/meter/serial/serial-port.js';
import { RepeatingLineMeter } from '../../../../main/meter/sim/adapters/repeating-line-meter.js';
import type { SimulatedUsbAdapter } from '../../../../main/meter/sim/adapters/simulated-usb-adapter.js';
import { usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';

/** Collects a port's bytes and errors so tests can wait for what they expect. */
export class PortReader {
  bytes: number[] = [];
  errors: Error[] = [];
  readonly #off: Array<() => void>;

  constructor(port: SerialPort) {
    this.#off = [port.onData((c) => this.bytes.push(...c)), port.onError((e) => this.errors.push(e))];
  }

  text(): string {
    return Buffer.from(this.bytes).toString('latin1');
  }

  clear(): void {
    this.bytes = [];
  }

  async until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out; have ${this.bytes.length} bytes, ${this.errors.length} errors`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  dispose(): void {
    for (const off of this.#off) off();
  }
}

/**
 * A 115200 meter read at 9600 through the family's real driver and simulated chip: the adapter
 * counts framing errors and hands over noise, and a line error is counted, not fatal — the port
 * stays open. Everything it opened is closed again, whatever the outcome.
 */
export async function expectNoiseAtWrongSpeed(sim: SimulatedUsbAdapter): Promise<void> {
  const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: LINE_8N1_115200, periodMs: 10 });
  sim.connectMeter(meter);
  const port = usbSerialPort(sim);
  const reader = new PortReader(port);
  try {
    await port.open({ ...LINE_8N1_115200, baudRate: 9600 });
    await reader.until(() => port.stats.lineErrors.framing > 0 && reader.bytes.length > 0);
    expect(port.stats.lineErrors.framing).toBeGreaterThan(0);
    expect(reader.text()).not.toContain('1-0:1.8.1');
    expect(reader.errors).toEqual([]);
    expect(port.isOpen).toBe(true);
  } finally {
    reader.dispose();
    await port.close();
    meter.detach();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A DSMR-like block longer than several 64-byte packets, so every read crosses boundaries. */
export function dsmrLikeBlock(): Uint8Array {
  const lines = [
    '/ISK5\\2M550T-1012',
    '',
    '1-3:0.2.8(50)',
    '0-0:1.0.0(231125153000W)',
    '0-0:96.1.1(4530303434303037313331363530363138)',
    '1-0:1.8.1(001234.567*kWh)',
    '1-0:1.8.2(002345.678*kWh)',
    '1-0:2.8.1(000123.456*kWh)',
    '1-0:2.8.2(000234.567*kWh)',
    '1-0:1.7.0(00.512*kW)',
    '1-0:2.7.0(00.000*kW)',
    '!1A2B',
  ];
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

export function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}
