import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { RepeatingLineMeter } from '../../../../main/meter/sim/adapters/repeating-line-meter.js';
import { SimulatedCh34x } from '../../../../main/meter/sim/adapters/simulated-ch34x.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { adapterFamilySuite } from './family-suite.js';
import { dsmrLikeBlock, PortReader, sleep } from './port-reader.js';

describe('CH34x driver against the simulated CH340', () => {
  adapterFamilySuite('ch34x', () => new SimulatedCh34x());
});

describe('CH34x driver specifics', () => {
  it('replays the WCH init sequence, then the requested divisor and LCR', async () => {
    const sim = new SimulatedCh34x();
    const port = await openUsbSerialPort(sim, { settings: LINE_7E1_300 });
    const log = sim.controlLog.map((e) => `${e.direction} ${e.setup.request.toString(16)} ${e.setup.value.toString(16)} ${e.setup.index.toString(16)}`);
    expect(log).toEqual([
      'in 5f 0 0',
      'out a1 0 0',
      'out 9a 1312 b282',
      'out 9a f2c c',
      'in 95 2518 0',
      'out 9a 2518 c3',
      'in 95 706 0',
      'out a1 501f d90a',
      'out 9a 1312 b282',
      'out 9a f2c c',
      'out a4 ff9f 0',
      'in 95 706 0',
      'out 9a 1312 d980',
      'out 9a f2c 6',
      'out 9a 2518 da',
    ]);
    await port.setSignals({ dtr: false, rts: false });
    expect(sim.modemCtrl).toBe(0xffff);
    await expect(port.setSignals({ brk: true })).rejects.toSatisfy((e: unknown) => isError(e, 'METER_LINE_SETTINGS_UNSUPPORTED'));
    await port.close();
  });

  it('the simulated chip refuses register writes before SERIAL_INIT and SERIAL_INIT before the version read', async () => {
    const sim = new SimulatedCh34x();
    await sim.open();
    await sim.selectConfiguration(1);
    await sim.claimInterface(0);
    const vendor = (request: number, value: number, index: number) => ({ requestType: 'vendor' as const, recipient: 'device' as const, request, value, index });
    await expect(sim.controlTransferOut(vendor(0xa1, 0, 0), new Uint8Array(0))).rejects.toThrow(/before READ_VERSION/);
    await sim.controlTransferIn(vendor(0x5f, 0, 0), 2);
    await expect(sim.controlTransferOut(vendor(0x9a, 0x1312, 0xb282), new Uint8Array(0))).rejects.toThrow(/before SERIAL_INIT/);
    await sim.controlTransferOut(vendor(0xa1, 0, 0), new Uint8Array(0));
    await expect(sim.controlTransferOut(vendor(0xa1, 0x501f, 0xd90a), new Uint8Array(0))).rejects.toThrow(/before the first one and a divisor/);
    await expect(sim.controlTransferOut(vendor(0x9a, 0x4242, 0), new Uint8Array(0))).rejects.toThrow(/stall/);
  });

  it('a wrong divisor leaves the line garbled', async () => {
    const sim = new SimulatedCh34x();
    const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: LINE_8N1_115200, periodMs: 10 });
    sim.connectMeter(meter);
    const port = await openUsbSerialPort(sim, { settings: LINE_8N1_115200 });
    const reader = new PortReader(port);
    // Write the 9600 divisor behind the driver's back: the chip now samples at the wrong rate.
    await sim.controlTransferOut({ requestType: 'vendor', recipient: 'device', request: 0x9a, value: 0x1312, index: 0xb282 }, new Uint8Array(0));
    await sim.controlTransferOut({ requestType: 'vendor', recipient: 'device', request: 0x9a, value: 0x0f2c, index: 0x0c }, new Uint8Array(0));
    reader.clear();
    await sleep(80);
    expect(reader.text()).not.toContain('1-0:1.8.1');
    await port.close();
    meter.detach();
  });
});
