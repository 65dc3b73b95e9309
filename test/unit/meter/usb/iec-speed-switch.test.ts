import { describe, expect, it } from 'vitest';
import { LINE_7E1_300 } from '../../../../main/meter/serial/line-settings.js';
import type { SimulatedUsbAdapter } from '../../../../main/meter/sim/adapters/simulated-usb-adapter.js';
import { SimulatedCdcAcm } from '../../../../main/meter/sim/adapters/simulated-cdc-acm.js';
import { SimulatedCh34x } from '../../../../main/meter/sim/adapters/simulated-ch34x.js';
import { SimulatedCp210x } from '../../../../main/meter/sim/adapters/simulated-cp210x.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedPl2303 } from '../../../../main/meter/sim/adapters/simulated-pl2303.js';
import { SimulatedIec62056Meter } from '../../../../main/meter/sim/meters/simulated-iec62056-meter.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { PortReader } from './port-reader.js';

const enc = (s: string) => new TextEncoder().encode(s);

// IEC 62056-21 mode C through each adapter: sign-on at 300 7E1, option select, then the
// meter answers at 9600 after ≥200 ms (§6.3.14) and the host must have switched on the open port.
describe.each<[string, () => SimulatedUsbAdapter]>([
  ['ftdi', () => new SimulatedFtdi()],
  ['cdc-acm', () => new SimulatedCdcAcm()],
  ['cp210x', () => new SimulatedCp210x()],
  ['ch34x', () => new SimulatedCh34x()],
  ['pl2303', () => new SimulatedPl2303()],
])('IEC 62056-21 speed switch over %s', (_family, make) => {
  it('reads the identification at 300 baud and the readout at 9600 after switching', async () => {
    const sim = make();
    const meter = new SimulatedIec62056Meter({ switchDelayMs: 250 });
    sim.connectMeter(meter);
    const port = await openUsbSerialPort(sim, { settings: LINE_7E1_300 });
    const reader = new PortReader(port);
    try {
      await port.write(enc('/?!\r\n'));
      await reader.until(() => /\/WAT5WATTLET-SIM\\71234567\r\n/.test(reader.text()));
      reader.clear();
      await port.write(enc('\x06050\r\n'));
      await port.setLineSettings({ ...LINE_7E1_300, baudRate: 9600 });
      await reader.until(() => reader.text().includes('\x03'));
      const block = reader.text();
      expect(block.startsWith('\x02')).toBe(true);
      expect(block).toMatch(/1\.8\.0\(\d+\.\d+\*kWh\)/);
      expect(port.stats.lineErrors.framing + port.stats.lineErrors.parity).toBe(0);
      expect(meter.readouts).toHaveLength(1);
    } finally {
      await port.close();
      meter.detach();
    }
  });

  it('sees garbage, not a readout, when the host forgets to switch', async () => {
    const sim = make();
    const meter = new SimulatedIec62056Meter({ switchDelayMs: 50 });
    sim.connectMeter(meter);
    const port = await openUsbSerialPort(sim, { settings: LINE_7E1_300 });
    const reader = new PortReader(port);
    try {
      await port.write(enc('/?!\r\n'));
      await reader.until(() => reader.text().includes('WATTLET-SIM'));
      reader.clear();
      await port.write(enc('\x06050\r\n'));
      await reader.until(() => meter.readouts.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(reader.text()).not.toMatch(/1\.8\.0\(/);
    } finally {
      await port.close();
      meter.detach();
    }
  });
});
