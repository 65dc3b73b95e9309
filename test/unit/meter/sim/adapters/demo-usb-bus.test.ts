import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../../../main/meter/reading.js';
import { DsmrDecoder } from '../../../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { LINE_8N1_115200 } from '../../../../../main/meter/serial/line-settings.js';
import { createDemoUsbBus, DEMO_P1_CABLE_SERIAL } from '../../../../../main/meter/sim/adapters/demo-usb-bus.js';
import { ManualClock } from '../../../../../main/meter/sim/meters/sim-clock.js';
import { SimulatedDsmrMeter } from '../../../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { MeterDiscovery } from '../../../../../main/meter/usb/discovery.js';
import { openMeterPort } from '../../../../../main/meter/usb/open-meter-port.js';

describe('demo USB bus', () => {
  it('reads DSMR 5 telegrams from the simulated FTDI P1 cable through the real FTDI driver', async () => {
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 1000, clock: new ManualClock(Date.UTC(2026, 10, 25, 12)) });
    const bus = createDemoUsbBus({ meter });
    const discovery = new MeterDiscovery({ backend: bus.backend, platform: 'linux' });
    const [info] = await discovery.list();
    expect(info).toMatchObject({ family: 'ftdi', path: 'usb', serialNumber: DEMO_P1_CABLE_SERIAL });

    const port = await openMeterPort({ discovery, selector: DEMO_P1_CABLE_SERIAL, settings: LINE_8N1_115200 });
    const readings: Reading[] = [];
    const errors: string[] = [];
    const decoder = new DsmrDecoder((e) => {
      if (e.kind === 'reading') readings.push(e.reading);
      if (e.kind === 'error') errors.push(e.code);
    });
    port.onData((chunk) => decoder.push(chunk, Date.now()));
    for (let i = 0; i < 3; i++) {
      meter.sendOnce();
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(errors).toEqual([]);
    expect(readings).toHaveLength(3);
    expect(readings[0]!.meterId).toBeTruthy();
    expect(readings[0]!.quantities.some((q) => q.obis.endsWith('1.7.0') && Number.isSafeInteger(q.value))).toBe(true);
    expect(port.stats.lineErrors.framing).toBe(0);
    await port.close();
    await discovery.dispose();
    bus.backend.dispose();
  });
});
