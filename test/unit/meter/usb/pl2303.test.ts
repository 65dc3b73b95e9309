import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedPl2303 } from '../../../../main/meter/sim/adapters/simulated-pl2303.js';
import { openUsbSerialPort, usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { pl2303DivisorRate, pl2303RateField, Pl2303Driver } from '../../../../main/meter/usb/pl2303.js';
import { adapterFamilySuite } from './family-suite.js';
import { expectNoiseAtWrongSpeed } from './port-reader.js';

describe('PL2303 driver against the simulated PL2303HX', () => {
  adapterFamilySuite('pl2303', () => new SimulatedPl2303());
});

describe('PL2303 driver against the simulated PL2303GC (HXN)', () => {
  adapterFamilySuite('pl2303', () => new SimulatedPl2303({ type: 'hxn' }));
});

describe('PL2303 specifics', () => {
  it('detects HX, TA and HXN from the descriptor, probing where bcdDevice is ambiguous', async () => {
    const cases: Array<[SimulatedPl2303, string]> = [
      [new SimulatedPl2303({ type: 'hx' }), 'hx'],
      [new SimulatedPl2303({ type: 'ta' }), 't'],
      [new SimulatedPl2303({ type: 'hxn' }), 'hxn'],
      // A PL2303GT shares bcdDevice 3.00 with the TA; it stalls the legacy read, so it is HXN.
      [new SimulatedPl2303({ type: 'hxn', bcdDevice: 0x0300 }), 'hxn'],
    ];
    for (const [sim, type] of cases) {
      const port = usbSerialPort(sim);
      await port.open(LINE_8N1_115200);
      expect((port.driver as Pl2303Driver).type).toBe(type);
      expect(sim.line).toEqual(LINE_8N1_115200);
      await port.close();
    }
  });

  it('refuses a non-standard rate on a TA with METER_LINE_SETTINGS_UNSUPPORTED', async () => {
    const port = await openUsbSerialPort(new SimulatedPl2303({ type: 'ta' }), { settings: LINE_8N1_115200 });
    await expect(port.setLineSettings({ ...LINE_8N1_115200, baudRate: 10000 })).rejects.toSatisfy((e: unknown) => isError(e, 'METER_LINE_SETTINGS_UNSUPPORTED'));
    await port.close();
  });

  it('sends standard rates as plain integers and others as the HX divisor', () => {
    expect(pl2303RateField(9600, 'hx')).toBe(9600);
    expect(pl2303RateField(300, 'hx')).toBe(300);
    // 384e6 / 10000 = 38400 → >>2 ×3 = 600, >>2 = 150 at exponent 4 → 0x80000000 | 4<<9 | 150
    expect(pl2303DivisorRate(10000)).toBe((0x80000000 | (4 << 9) | 150) >>> 0);
    expect(pl2303RateField(10000, 'hxn')).toBe(10000);
    expect(() => pl2303RateField(10000, 't')).toThrow(RangeError);
  });

  it('runs the vendor init sequence on HX, then SET_LINE_CODING and control lines', async () => {
    const sim = new SimulatedPl2303();
    const port = await openUsbSerialPort(sim, { settings: LINE_8N1_115200 });
    const log = sim.controlLog.map((e) => `${e.direction} ${e.setup.requestType} ${e.setup.request} ${e.setup.value.toString(16)} ${e.setup.index.toString(16)}`);
    expect(log.slice(0, 11)).toEqual([
      'in vendor 1 8484 0', 'out vendor 1 404 0', 'in vendor 1 8484 0', 'in vendor 1 8383 0', 'in vendor 1 8484 0',
      'out vendor 1 404 1', 'in vendor 1 8484 0', 'in vendor 1 8383 0', 'out vendor 1 0 1', 'out vendor 1 1 0', 'out vendor 1 2 44',
    ]);
    expect(log).toContain('out class 32 0 0');
    expect(sim.line).toEqual(LINE_8N1_115200);
    expect(sim.controlLines).toBe(3);
    await port.setLineSettings({ ...LINE_8N1_115200, baudRate: 10000 });
    expect(sim.line?.baudRate).toBe(Math.round(384e6 / (150 * 256)));
    await port.close();
  });

  it('the simulated HX refuses SET_LINE_CODING before the init sequence and an init step out of order', async () => {
    const sim = new SimulatedPl2303();
    await sim.open();
    const lineCoding = Uint8Array.of(0x80, 0x25, 0, 0, 0, 0, 8);
    await expect(sim.controlTransferOut({ requestType: 'class', recipient: 'interface', request: 0x20, value: 0, index: 0 }, lineCoding)).rejects.toThrow(/before the vendor init/);
    await sim.controlTransferIn({ requestType: 'vendor', recipient: 'device', request: 1, value: 0x8484, index: 0 }, 1);
    await expect(sim.controlTransferOut({ requestType: 'vendor', recipient: 'device', request: 1, value: 0x0404, index: 1 }, new Uint8Array(0))).rejects.toThrow(/init step 2/);
  });
});

describe('PL2303 line errors', () => {
  it('counts framing errors from the interrupt status when the meter talks at another speed', async () => {
    await expectNoiseAtWrongSpeed(new SimulatedPl2303());
  });
});
