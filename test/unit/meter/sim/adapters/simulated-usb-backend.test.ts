import { describe, expect, it } from 'vitest';
import { isError } from '../../../../../main/api/errors.js';
import { SimulatedFtdi } from '../../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../../../main/meter/sim/adapters/simulated-usb-backend.js';

describe('simulated USB backend', () => {
  it('announces plug and unplug and lists only plugged devices', async () => {
    const backend = new SimulatedUsbBackend();
    const events: string[] = [];
    backend.onConnect((d) => events.push(`+${d.serialNumber}`));
    backend.onDisconnect((d) => events.push(`-${d.serialNumber}`));
    const a = new SimulatedFtdi({ serialNumber: 'A' });
    const b = new SimulatedFtdi({ serialNumber: 'B' });
    backend.plug(a);
    backend.plug(b);
    backend.unplug(a);
    expect((await backend.getDevices()).map((d) => d.serialNumber)).toEqual(['B']);
    backend.plug(a);
    expect(events).toEqual(['+A', '+B', '-A', '+A']);
    expect((await backend.status()).available).toBe(true);
    backend.dispose();
  });

  it('rejects pending transfers when the device is unplugged, as the library does', async () => {
    const backend = new SimulatedUsbBackend();
    const sim = new SimulatedFtdi({ emptyPackets: false });
    backend.plug(sim);
    await sim.open();
    await sim.selectConfiguration(1);
    await sim.claimInterface(0);
    const pending = sim.transferIn(1, 64);
    backend.unplug(sim);
    await expect(pending).rejects.toThrow(/disconnected/);
    await expect(sim.open()).rejects.toThrow(/disconnected/);
  });

  it('times out a bulk IN with "Cancelled" like usb 3.1', async () => {
    const sim = new SimulatedFtdi({ emptyPackets: false });
    await sim.open();
    await sim.claimInterface(0);
    await expect(sim.transferIn(1, 64, 20)).rejects.toThrow('Cancelled');
  });

  it('reproduces a machine without a USB subsystem', async () => {
    const backend = new SimulatedUsbBackend({ noSubsystem: true });
    await expect(backend.getDevices()).rejects.toSatisfy((e: unknown) => isError(e, 'METER_NO_USB_SUBSYSTEM'));
    expect((await backend.status()).problem?.code).toBe('METER_NO_USB_SUBSYSTEM');
  });
});
