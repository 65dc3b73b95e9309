import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { SimulatedCh34x } from '../../../../main/meter/sim/adapters/simulated-ch34x.js';
import { SimulatedCdcAcm } from '../../../../main/meter/sim/adapters/simulated-cdc-acm.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { MeterDiscovery, type HotplugEvent } from '../../../../main/meter/usb/discovery.js';
import { decidePath } from '../../../../main/meter/usb/path-policy.js';
import { sleep } from './port-reader.js';

describe('meter discovery', () => {
  it('lists devices with IDs, strings, matched family or why none, and the path with its reason', async () => {
    const backend = new SimulatedUsbBackend();
    backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
    backend.plug(new SimulatedCh34x());
    backend.plug(new SimulatedFtdi({ productId: 0x6999, serialNumber: 'ODD' }));
    const discovery = new MeterDiscovery({ backend, platform: 'linux' });
    const list = await discovery.list();
    expect(list.map((d) => [d.id, d.family, d.path])).toEqual([
      ['0403:6001:P1CABLE', 'ftdi', 'usb'],
      ['1a86:7523#1', 'ch34x', 'usb'],
      ['0403:6999:ODD', null, 'os'],
    ]);
    expect(list[0]).toMatchObject({ vidPid: '0403:6001', manufacturer: 'FTDI', serialNumber: 'P1CABLE', familyReason: expect.stringContaining('known ftdi') });
    expect(list[2]!.familyReason).toMatch(/product 6999 is not one we drive/);
    expect(list[0]!.pathReason).toMatch(/Linux/);
    await discovery.dispose();
  });

  it('lets the user choose the path per device', async () => {
    const backend = new SimulatedUsbBackend();
    backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
    const discovery = new MeterDiscovery({ backend, platform: 'linux' });
    const chosen = await discovery.choosePath('0403:6001:P1CABLE', 'os');
    expect([chosen.path, chosen.pathChoice, chosen.pathReason]).toEqual(['os', 'os', 'chosen by the user']);
    expect((await discovery.list())[0]!.path).toBe('os');
    expect((await discovery.choosePath('0403:6001:P1CABLE', 'auto')).path).toBe('usb');
    await expect(discovery.choosePath('nope', 'usb')).rejects.toSatisfy((e: unknown) => isError(e, 'METER_DEVICE_NOT_FOUND'));
  });

  it('decides the path by who owns the adapter on each OS', () => {
    expect(decidePath('ftdi', 'win32').path).toBe('os');
    expect(decidePath('cdc-acm', 'darwin').path).toBe('os');
    expect(decidePath('ch34x', 'darwin').path).toBe('usb');
    expect(decidePath('pl2303', 'linux').path).toBe('usb');
    expect(decidePath(null, 'linux').path).toBe('os');
  });

  it('finds a device by serial number wherever it is plugged, or by vid:pid', async () => {
    const backend = new SimulatedUsbBackend();
    const cable = new SimulatedFtdi({ serialNumber: 'P1CABLE' });
    backend.plug(new SimulatedCdcAcm());
    backend.plug(cable);
    const discovery = new MeterDiscovery({ backend });
    expect(await discovery.find('P1CABLE')).toBe(cable);
    expect(await discovery.find('0403:6001')).toBe(cable);
    expect((await discovery.find('2e8a:000a')).productId).toBe(0x000a);
    await expect(discovery.find('MISSING')).rejects.toSatisfy((e: unknown) => isError(e, 'METER_DEVICE_NOT_FOUND'));
  });

  it('debounces attach, reports detach, and ignores a device that bounces during enumeration', async () => {
    const backend = new SimulatedUsbBackend();
    const discovery = new MeterDiscovery({ backend, debounceMs: 40 });
    const events: HotplugEvent[] = [];
    discovery.onHotplug((e) => events.push(e));
    const cable = new SimulatedFtdi({ serialNumber: 'P1CABLE' });
    backend.plug(cable);
    await sleep(10);
    expect(events).toEqual([]);
    await sleep(60);
    expect(events.map((e) => [e.kind, e.device.id])).toEqual([['connect', '0403:6001:P1CABLE']]);
    backend.unplug(cable);
    expect(events.map((e) => e.kind)).toEqual(['connect', 'disconnect']);

    const bouncy = new SimulatedCh34x();
    backend.plug(bouncy);
    await sleep(5);
    backend.unplug(bouncy);
    await sleep(60);
    expect(events).toHaveLength(2);
    await discovery.dispose();
  });

  it('reports a missing USB subsystem through status and list, and hot-plug stays quiet', async () => {
    const discovery = new MeterDiscovery({ backend: new SimulatedUsbBackend({ noSubsystem: true }) });
    expect((await discovery.status()).problem?.code).toBe('METER_NO_USB_SUBSYSTEM');
    await expect(discovery.list()).rejects.toSatisfy((e: unknown) => isError(e, 'METER_NO_USB_SUBSYSTEM'));
    discovery.onHotplug(() => undefined);
    await sleep(20);
    await discovery.dispose();
  });
});
