import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { CachedUsbDevice } from '../../../../main/meter/usb/cached-usb-device.js';
import { MeterDiscovery } from '../../../../main/meter/usb/discovery.js';
import { usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { NodeUsbBackend, type NodeUsbConnectionEvent } from '../../../../main/meter/usb/node-usb-backend.js';
import type { UsbDeviceLike } from '../../../../main/meter/usb/usb-device.js';
import { sleep } from './port-reader.js';

/**
 * A stand-in for `usb` 3.1's native device with the rule the QEMU hot-plug test ran into: while
 * one of its transfers is pending, every property read throws synchronously ("The same native
 * value cannot be borrowed mutably while another borrow is active").
 */
function borrowChecked(sim: SimulatedFtdi): UsbDeviceLike & { pending: number } {
  const state = { pending: 0 };
  return new Proxy(sim, {
    get(target, prop) {
      if (prop === 'pending') return state.pending;
      const v = Reflect.get(target, prop, target);
      if (typeof v === 'function') {
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (!(r instanceof Promise)) return r;
          state.pending++;
          return r.finally(() => state.pending--);
        };
      }
      if (state.pending > 0) throw new Error('The same native value cannot be borrowed mutably while another borrow is active');
      return v;
    },
  }) as unknown as UsbDeviceLike & { pending: number };
}

/** A `usb` module stand-in with the WebUSB event surface. */
function fakeUsb(devices: () => unknown[]) {
  const listeners = { connect: new Set<(e: NodeUsbConnectionEvent) => void>(), disconnect: new Set<(e: NodeUsbConnectionEvent) => void>() };
  return {
    listeners,
    module: {
      usb: {
        getDevices: async () => devices(),
        addEventListener: (t: 'connect' | 'disconnect', l: (e: NodeUsbConnectionEvent) => void) => void listeners[t].add(l),
        removeEventListener: (t: 'connect' | 'disconnect', l: (e: NodeUsbConnectionEvent) => void) => void listeners[t].delete(l),
      },
    },
    fire(t: 'connect' | 'disconnect', device: unknown) {
      for (const l of listeners[t]) l({ device });
    },
  };
}

describe('NodeUsbBackend hot-plug and descriptor reads', () => {
  let dir: string;
  let udevControl: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wattlet-sysfs-'));
    udevControl = join(dir, 'udev-control');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists and announces a device while one of its transfers is pending (the raw library object would throw)', async () => {
    // Like the library, every listing hands out new objects for the same device.
    const sim = new SimulatedFtdi({ serialNumber: 'P1' });
    const listings: (UsbDeviceLike & { pending: number })[] = [];
    const listing = () => {
      listings.push(borrowChecked(sim));
      return [listings[listings.length - 1]!];
    };
    const backend = new NodeUsbBackend({ platform: 'linux', sysfsUsbPath: dir, hotplug: 'poll', load: async () => ({ usb: { getDevices: async () => listing() } }) });
    const discovery = new MeterDiscovery({ backend, platform: 'linux' });
    try {
      const [d] = await backend.getDevices();
      await d!.open();
      await d!.selectConfiguration(1);
      await d!.claimInterface(0);
      const read = d!.transferIn(1, 64, 2000).catch(() => undefined); // stays pending: no meter
      const raw = listings[0]!; // the object the backend first listed, now reading
      expect(raw.pending).toBe(1);
      expect(() => raw.vendorId).toThrow(/borrowed/); // what an unwrapped device does now
      const listed = await discovery.list();
      expect(listed.map((x) => `${x.vidPid} ${x.family} ${x.serialNumber}`)).toEqual(['0403:6001 ftdi P1']);
      await d!.close();
      await read;
    } finally {
      await discovery.dispose();
      backend.dispose();
    }
  });

  it('events: an attach or detach event lists the bus again and announces the difference, with no polling', async () => {
    writeFileSync(udevControl, '');
    const a = new SimulatedFtdi({ serialNumber: 'A' });
    let attached: SimulatedFtdi[] = [];
    const usb = fakeUsb(() => [...attached]);
    const backend = new NodeUsbBackend({ platform: 'linux', sysfsUsbPath: dir, udevControlPath: udevControl, pollMs: 3_600_000, resyncMs: 3_600_000, load: async () => usb.module });
    const seen: string[] = [];
    try {
      backend.onConnect((d) => seen.push(`+${d.serialNumber}`));
      backend.onDisconnect((d) => seen.push(`-${d.serialNumber}`));
      await sleep(20);
      expect(backend.watching).toBe('events');
      expect(usb.listeners.connect.size).toBe(1);
      attached = [a];
      usb.fire('connect', a);
      await sleep(20);
      attached = [];
      usb.fire('disconnect', a);
      await sleep(20);
      expect(seen).toEqual(['+A', '-A']);
    } finally {
      backend.dispose();
    }
    expect(usb.listeners.connect.size).toBe(0);
  });

  it('auto: listens to events only on Linux with a USB bus and udevd running, polls otherwise', async () => {
    const usb = fakeUsb(() => []);
    const make = (platform: NodeJS.Platform) => new NodeUsbBackend({ platform, sysfsUsbPath: dir, udevControlPath: udevControl, pollMs: 3_600_000, load: async () => usb.module });
    const without = make('linux');
    without.onConnect(() => undefined);
    await sleep(10);
    expect(without.watching).toBe('poll');
    without.dispose();
    writeFileSync(udevControl, '');
    const withUdev = make('linux');
    withUdev.onConnect(() => undefined);
    await sleep(10);
    expect(withUdev.watching).toBe('events');
    withUdev.dispose();
    const mac = make('darwin');
    mac.onConnect(() => undefined);
    await sleep(10);
    expect(mac.watching).toBe('poll');
    mac.dispose();
  });
});

describe('CachedUsbDevice live state', () => {
  it('lists a device the user may not open, and codes the failure to use it as METER_PERMISSION_DENIED (usb 3.1 opens the device to read its configurations)', () => {
    const sim = new SimulatedFtdi();
    // usb 3.1 opens the device for both; as a user without the udev rule both throw.
    const denied = new Proxy(sim, {
      get(target, prop) {
        if (prop === 'configuration' || prop === 'configurations') throw new Error('open error: permission denied (errno 13)');
        return Reflect.get(target, prop, target);
      },
    });
    const d = new CachedUsbDevice(denied);
    expect(d.vendorId).toBe(0x0403);
    expect(d.configurations).toEqual([]);
    expect(d.descriptorProblem?.code).toBe('METER_PERMISSION_DENIED');
    expect(() => d.configuration).toThrow(expect.objectContaining({ code: 'METER_PERMISSION_DENIED' }));
    expect(() => usbSerialPort(d, { family: 'ftdi' })).toThrow(expect.objectContaining({ code: 'METER_PERMISSION_DENIED' }));
  });
});
