import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../../main/api/dispatcher.js';
import { EventBus } from '../../../../main/api/event-bus.js';
import { isError } from '../../../../main/api/errors.js';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { MeterDiscovery } from '../../../../main/meter/usb/discovery.js';
import { forwardHotplug, meterUsbHandlers } from '../../../../main/meter/usb/handlers.js';
import { openMeterPort } from '../../../../main/meter/usb/open-meter-port.js';
import { sleep } from './port-reader.js';

const ctx = { host: 'browser' as const };

describe('meter contract handlers', () => {
  it('answer meter.usbStatus, meter.devices and meter.choosePath through the dispatcher schemas', async () => {
    const backend = new SimulatedUsbBackend();
    backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
    const discovery = new MeterDiscovery({ backend, platform: 'linux' });
    const dispatch = createDispatcher(meterUsbHandlers({ discovery, listOsPorts: async () => [] }));
    expect(await dispatch('meter.usbStatus', {}, ctx)).toEqual({ ok: true, result: { available: true, backend: 'simulated', problem: null } });
    const devices = await dispatch('meter.devices', {}, ctx);
    expect(devices.ok && (devices.result as { devices: Array<{ id: string }> }).devices.map((d) => d.id)).toEqual(['0403:6001:P1CABLE']);
    const chosen = await dispatch('meter.choosePath', { deviceId: '0403:6001:P1CABLE', choice: 'os' }, ctx);
    expect(chosen.ok && (chosen.result as { path: string }).path).toBe('os');
    const invalid = await dispatch('meter.choosePath', { deviceId: '0403:6001:P1CABLE', choice: 'sideways' }, ctx);
    expect(!invalid.ok && invalid.error.code).toBe('REQUEST_INVALID');
    expect(await dispatch('meter.serialPorts', {}, ctx)).toEqual({ ok: true, result: { ports: [] } });
  });

  it('answer METER_NO_USB_SUBSYSTEM as a typed error, and status explains it', async () => {
    const discovery = new MeterDiscovery({ backend: new SimulatedUsbBackend({ noSubsystem: true }) });
    const dispatch = createDispatcher(meterUsbHandlers({ discovery }));
    const devices = await dispatch('meter.devices', {}, ctx);
    expect(!devices.ok && devices.error.code).toBe('METER_NO_USB_SUBSYSTEM');
    const status = await dispatch('meter.usbStatus', {}, ctx);
    expect(status.ok && (status.result as { problem: { code: string } }).problem.code).toBe('METER_NO_USB_SUBSYSTEM');
  });

  it('forward hot-plug as the meter.hotplug event', async () => {
    const backend = new SimulatedUsbBackend();
    const discovery = new MeterDiscovery({ backend, debounceMs: 5 });
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('meter.hotplug', (e) => seen.push(`${e.kind} ${e.device.vidPid}`));
    const off = forwardHotplug(discovery, bus);
    const cable = new SimulatedFtdi();
    backend.plug(cable);
    await sleep(30);
    backend.unplug(cable);
    expect(seen).toEqual(['connect 0403:6001', 'disconnect 0403:6001']);
    off();
    await discovery.dispose();
  });
});

describe('openMeterPort', () => {
  it('on the OS path, opens the port the OS made for that adapter (by serial number)', async () => {
    const backend = new SimulatedUsbBackend();
    backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
    const discovery = new MeterDiscovery({ backend, platform: 'win32' });
    const listOsPorts = async () => [{ path: '/nonexistent/ttyUSB7', vendorId: 0x0403, productId: 0x6001, serialNumber: 'P1CABLE', manufacturer: 'FTDI' }];
    // Windows: the vendor COM driver owns FTDI, so discovery picks the OS path and the matching port.
    await expect(openMeterPort({ discovery, selector: 'P1CABLE', settings: LINE_8N1_115200, listOsPorts })).rejects.toSatisfy(
      (e: unknown) => isError(e, 'METER_DEVICE_NOT_FOUND') && e.facts.device === '/nonexistent/ttyUSB7',
    );
    await expect(openMeterPort({ discovery, selector: 'P1CABLE', settings: LINE_8N1_115200, listOsPorts: async () => [] })).rejects.toSatisfy(
      (e: unknown) => isError(e, 'METER_DEVICE_NOT_FOUND') && e.facts.vidPid === '0403:6001',
    );
    // Forcing the USB path uses our driver regardless.
    const port = await openMeterPort({ discovery, selector: 'P1CABLE', settings: LINE_8N1_115200, path: 'usb' });
    expect([port.path, port.family]).toEqual(['usb', 'ftdi']);
    await port.close();
  });
});
