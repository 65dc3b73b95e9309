import { describe, expect, it } from 'vitest';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { RepeatingLineMeter } from '../../../../main/meter/sim/adapters/repeating-line-meter.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { MeterDiscovery, type HotplugEvent } from '../../../../main/meter/usb/discovery.js';
import { usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { dsmrLikeBlock, PortReader } from './port-reader.js';

// The one listener-error policy (lifecycle/emitter.ts) as the meter room applies it: a throwing
// listener never keeps the others from hearing; where the link would be left half alive (a port's
// data listener) the port fails; elsewhere the owner's handler gets the error.

describe('listener errors in the meter room', () => {
  it('a data listener that throws: the other listeners still get the chunk, then the port fails with that error', async () => {
    const sim = new SimulatedFtdi();
    const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: LINE_8N1_115200, periodMs: 10 });
    sim.connectMeter(meter);
    const port = usbSerialPort(sim);
    const bug = new Error('a consumer bug');
    let thrown = 0;
    // Subscribed first: the listener after it must still hear the chunk it threw on.
    const off = port.onData(() => {
      thrown++;
      throw bug;
    });
    const reader = new PortReader(port);
    try {
      await port.open(LINE_8N1_115200);
      await reader.until(() => reader.errors.length > 0);
      expect(thrown).toBe(1);
      expect(reader.bytes.length).toBeGreaterThan(0); // the same chunk reached the other listener
      expect(reader.errors).toEqual([bug]);
      expect(port.isOpen).toBe(false);
      expect(sim.opened).toBe(false);
    } finally {
      off();
      reader.dispose();
      await port.close();
      meter.detach();
    }
  });

  it('a hot-plug listener that throws goes to the owner; the others still hear the event', async () => {
    const backend = new SimulatedUsbBackend();
    const failures: unknown[] = [];
    const discovery = new MeterDiscovery({ backend, platform: 'linux', debounceMs: 10, onListenerError: (e) => failures.push(e) });
    const heard: HotplugEvent[] = [];
    const offBad = discovery.onHotplug(() => {
      throw new Error('a view that broke');
    });
    const offGood = discovery.onHotplug((e) => heard.push(e));
    try {
      backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
      const t0 = Date.now();
      while (heard.length === 0 && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
      expect(heard.map((e) => [e.kind, e.device.serialNumber])).toEqual([['connect', 'P1CABLE']]);
      expect(failures).toHaveLength(1);
      expect((failures[0] as Error).message).toBe('a view that broke');
    } finally {
      offBad();
      offGood();
      await discovery.dispose();
      backend.dispose();
    }
  });
});
