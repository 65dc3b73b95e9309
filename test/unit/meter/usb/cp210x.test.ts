import { describe, expect, it } from 'vitest';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedCp210x } from '../../../../main/meter/sim/adapters/simulated-cp210x.js';
import { cp210xBaudBytes, cp210xLineCtl } from '../../../../main/meter/usb/cp210x.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { adapterFamilySuite } from './family-suite.js';

describe('CP210x driver against the simulated CP2102', () => {
  adapterFamilySuite('cp210x', () => new SimulatedCp210x());
});

describe('CP210x specifics', () => {
  it('encodes the baud rate and line control as AN571', () => {
    expect([...cp210xBaudBytes(300)]).toEqual([0x2c, 0x01, 0, 0]);
    expect([...cp210xBaudBytes(9600)]).toEqual([0x80, 0x25, 0, 0]);
    expect([...cp210xBaudBytes(115200)]).toEqual([0x00, 0xc2, 0x01, 0]);
    expect(cp210xLineCtl(LINE_8N1_115200)).toBe(0x0800);
    expect(cp210xLineCtl(LINE_7E1_300)).toBe(0x0720);
  });

  it('enables the interface first and disables it on close', async () => {
    const sim = new SimulatedCp210x();
    const port = await openUsbSerialPort(sim, { settings: LINE_7E1_300 });
    const log = sim.controlLog.map((e) => [e.setup.request, e.setup.value]);
    expect(log).toEqual([
      [0x00, 1],
      [0x12, 0x0f],
      [0x1e, 0],
      [0x03, 0x0720],
      [0x07, 0x0303],
    ]);
    expect(sim.baudRate).toBe(300);
    await port.close();
    expect(sim.enabled).toBe(false);
  });

  it('the simulated chip refuses settings before IFC_ENABLE and requests to the device', async () => {
    const sim = new SimulatedCp210x();
    await sim.open();
    const req = (request: number, value: number) => ({ requestType: 'vendor' as const, recipient: 'interface' as const, request, value, index: 0 });
    await expect(sim.controlTransferOut(req(0x1e, 0), cp210xBaudBytes(9600))).rejects.toThrow(/IFC_ENABLE first/);
    await sim.controlTransferOut(req(0x00, 1), new Uint8Array(0));
    await expect(sim.controlTransferOut(req(0x1e, 0), Uint8Array.of(1, 2))).rejects.toThrow(/4 bytes/);
    await expect(sim.controlTransferOut({ ...req(0x1e, 0), recipient: 'device' }, cp210xBaudBytes(9600))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut(req(0x03, 0x0600), new Uint8Array(0))).rejects.toThrow(/stall/);
  });
});
