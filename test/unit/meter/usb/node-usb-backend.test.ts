import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { CachedUsbDevice } from '../../../../main/meter/usb/cached-usb-device.js';
import { NodeUsbBackend, asUsbDeviceLike } from '../../../../main/meter/usb/node-usb-backend.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { sleep } from './port-reader.js';

// Against the real `usb` 3.x package on this machine, which has no /sys/bus/usb.
describe('NodeUsbBackend (real usb package)', () => {
  it('reports METER_NO_USB_SUBSYSTEM without loading the library when /sys/bus/usb is absent', async () => {
    let loaded = false;
    const backend = new NodeUsbBackend({
      platform: 'linux',
      sysfsUsbPath: '/nonexistent/sys/bus/usb/devices',
      load: async () => {
        loaded = true;
        throw new Error('must not load');
      },
    });
    await expect(backend.getDevices()).rejects.toSatisfy((e: unknown) => isError(e, 'METER_NO_USB_SUBSYSTEM'));
    const status = await backend.status();
    expect(status).toMatchObject({ available: false, backend: 'node-usb', problem: { code: 'METER_NO_USB_SUBSYSTEM' } });
    expect(loaded).toBe(false);
    backend.dispose();
  });

  it('turns the library rejecting its lookups into METER_NO_USB_SUBSYSTEM, and hot-plug polling never crashes', async () => {
    // An existing directory gets us past the sysfs check, so the real library is loaded and asked.
    const fakeSysfs = mkdtempSync(join(tmpdir(), 'wattlet-sysfs-'));
    const backend = new NodeUsbBackend({ platform: 'linux', sysfsUsbPath: fakeSysfs, pollMs: 10 });
    try {
      await expect(backend.getDevices()).rejects.toSatisfy((e: unknown) => isError(e, 'METER_NO_USB_SUBSYSTEM'));
      const off = backend.onConnect(() => undefined);
      await sleep(60); // several polls against the real library: the process must still be here
      off();
      expect((await backend.status()).available).toBe(false);
    } finally {
      backend.dispose();
      rmSync(fakeSysfs, { recursive: true, force: true });
    }
  });

  it('checks that a library device has the WebUSB methods before using it', () => {
    expect(() => asUsbDeviceLike({ vendorId: 1 })).toThrow(/no open/);
    const sim = new SimulatedFtdi();
    expect(asUsbDeviceLike(sim)).toBe(sim);
  });

  it('turns polled device lists into connect/disconnect of the same objects', async () => {
    const fakeSysfs = mkdtempSync(join(tmpdir(), 'wattlet-sysfs-'));
    const a = new SimulatedFtdi({ serialNumber: 'A' });
    const b = new SimulatedFtdi({ serialNumber: 'B' });
    let attached: SimulatedFtdi[] = [a];
    // The library stand-in hands out simulated devices, as `usb` would hand out its own.
    const backend = new NodeUsbBackend({ platform: 'linux', sysfsUsbPath: fakeSysfs, pollMs: 10, load: async () => ({ usb: { getDevices: async () => [...attached] } }) });
    try {
      const listed = await backend.getDevices();
      expect(listed.map((d) => d.serialNumber)).toEqual(['A']);
      expect((listed[0] as CachedUsbDevice).native).toBe(a);
      expect((await backend.getDevices())[0]).toBe(listed[0]); // the same object while it stays plugged in
      const events: string[] = [];
      backend.onConnect((d) => events.push(`+${d.serialNumber}`));
      backend.onDisconnect((d) => events.push(`-${d.serialNumber}`));
      attached = [a, b];
      await sleep(50);
      attached = [b];
      await sleep(50);
      expect(events).toEqual(['+B', '-A']);
      expect(await backend.status()).toEqual({ available: true, backend: 'node-usb', problem: null });
    } finally {
      backend.dispose();
      rmSync(fakeSysfs, { recursive: true, force: true });
    }
  });
});
