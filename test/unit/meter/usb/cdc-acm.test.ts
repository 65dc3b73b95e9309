import { describe, expect, it } from 'vitest';
import { LINE_7E1_300 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedCdcAcm } from '../../../../main/meter/sim/adapters/simulated-cdc-acm.js';
import { encodeLineCoding } from '../../../../main/meter/usb/line-coding.js';
import { matchFamily } from '../../../../main/meter/usb/adapter-families.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { adapterFamilySuite } from './family-suite.js';
import { expectNoiseAtWrongSpeed } from './port-reader.js';

describe('CDC-ACM driver against a simulated CDC-ACM device', () => {
  adapterFamilySuite('cdc-acm', () => new SimulatedCdcAcm());
});

describe('CDC-ACM specifics', () => {
  it('encodes SET_LINE_CODING as CDC PSTN §6.3.11', () => {
    expect([...encodeLineCoding({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 })]).toEqual([0x80, 0x25, 0, 0, 0, 0, 8]);
    expect([...encodeLineCoding(LINE_7E1_300)]).toEqual([0x2c, 0x01, 0, 0, 0, 2, 7]);
  });

  it('is matched by its interface classes, whatever its VID:PID', () => {
    expect(matchFamily(new SimulatedCdcAcm({ vendorId: 0x1234, productId: 0x5678 })).family).toBe('cdc-acm');
  });

  it('sends the class requests to the control interface and sets DTR/RTS and break', async () => {
    const sim = new SimulatedCdcAcm();
    const port = await openUsbSerialPort(sim, { settings: LINE_7E1_300 });
    expect(sim.controlLog.map((e) => [e.setup.requestType, e.setup.request, e.setup.value, e.setup.index])).toEqual([
      ['class', 0x20, 0, 0],
      ['class', 0x22, 3, 0],
    ]);
    expect([...sim.controlLog[0]!.data!]).toEqual([0x2c, 0x01, 0, 0, 0, 2, 7]);
    await port.setSignals({ rts: false, brk: true });
    expect([sim.dtr, sim.rts, sim.breakOn]).toEqual([true, false, true]);
    await port.close();
  });

  it('the simulated device refuses vendor requests and requests to the data interface', async () => {
    const sim = new SimulatedCdcAcm();
    await sim.open();
    await expect(sim.controlTransferOut({ requestType: 'vendor', recipient: 'device', request: 0x20, value: 0, index: 0 }, new Uint8Array(7))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut({ requestType: 'class', recipient: 'interface', request: 0x20, value: 0, index: 1 }, encodeLineCoding(LINE_7E1_300))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut({ requestType: 'class', recipient: 'interface', request: 0x20, value: 0, index: 0 }, new Uint8Array(3))).rejects.toThrow(/stall/);
  });
});

describe('CDC-ACM line errors', () => {
  it('counts framing errors from SERIAL_STATE notifications when the meter talks at another speed', async () => {
    await expectNoiseAtWrongSpeed(new SimulatedCdcAcm());
  });
});
