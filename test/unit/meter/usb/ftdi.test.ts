import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { RepeatingLineMeter } from '../../../../main/meter/sim/adapters/repeating-line-meter.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { FtdiDriver, ftdiDataValue } from '../../../../main/meter/usb/ftdi.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { adapterFamilySuite } from './family-suite.js';
import { dsmrLikeBlock, expectNoiseAtWrongSpeed, occurrences, PortReader, sleep } from './port-reader.js';

describe('FTDI driver against the simulated FT232R', () => {
  adapterFamilySuite('ftdi', () => new SimulatedFtdi());
});

describe('FTDI driver against the simulated FT230X and FT2232 port A', () => {
  adapterFamilySuite('ftdi', () => new SimulatedFtdi({ bcdDevice: 0x1000 }));
  adapterFamilySuite('ftdi', () => new SimulatedFtdi({ bcdDevice: 0x0500 }));
});

describe('FTDI driver specifics', () => {
  it('sends reset, purges, latency, flow, divisor, line properties and modem lines at open', async () => {
    const sim = new SimulatedFtdi();
    const port = await openUsbSerialPort(sim, { settings: LINE_8N1_115200, family: 'ftdi' });
    const sent = sim.controlLog.map((e) => [e.setup.request, e.setup.value, e.setup.index]);
    expect(sent).toEqual([
      [0, 0, 1],
      [0, 1, 1],
      [0, 2, 1],
      [9, 16, 1],
      [2, 0, 1],
      [3, 0x001a, 0],
      [4, 0x0008, 1],
      [1, 0x0303, 1],
    ]);
    expect(sim.baudRate).toBe(115385);
    await port.setLineSettings(LINE_7E1_300);
    expect(sim.controlLog.slice(-2).map((e) => [e.setup.request, e.setup.value])).toEqual([
      [3, 0x2710],
      [4, 0x0207],
    ]);
    expect([sim.baudRate, sim.dataBits, sim.parity]).toEqual([300, 7, 'even']);
    await port.setSignals({ dtr: false });
    expect([sim.dtr, sim.rts]).toEqual([false, true]);
    await port.close();
  });

  it('encodes line properties as AN232B-05 SET_DATA', () => {
    expect(ftdiDataValue(LINE_8N1_115200)).toBe(0x0008);
    expect(ftdiDataValue(LINE_7E1_300)).toBe(0x0207);
    expect(ftdiDataValue({ baudRate: 9600, dataBits: 8, parity: 'odd', stopBits: 2 })).toBe(0x1108);
    expect(ftdiDataValue(LINE_8N1_115200, true)).toBe(0x4008);
  });

  it('strips the status bytes of every max-packet and counts their error bits', () => {
    const driver = new FtdiDriver(new SimulatedFtdi());
    const errors = { overrun: 0, parity: 0, framing: 0, break: 0 };
    const packet = (lsr: number, fill: number, n: number) => [0x31, lsr, ...Array(n).fill(fill)];
    const transfer = Uint8Array.from([...packet(0x60, 0x41, 62), ...packet(0x60 | 0x08 | 0x04, 0x42, 62), ...packet(0x60 | 0x02 | 0x10, 0x43, 5)]);
    const data = driver.decode(transfer, errors);
    expect(data.length).toBe(129);
    expect(data.every((b, i) => b === (i < 62 ? 0x41 : i < 124 ? 0x42 : 0x43))).toBe(true);
    expect(errors).toEqual({ overrun: 1, parity: 1, framing: 1, break: 1 });
    expect(driver.decode(Uint8Array.of(0x01, 0x60), errors).length).toBe(0);
  });

  it('flags framing errors in the status byte when the meter talks at another speed', async () => {
    await expectNoiseAtWrongSpeed(new SimulatedFtdi());
  });

  it('treats the idle 2-byte packets as no data, and works with QEMU-style NAKs too', async () => {
    for (const emptyPackets of [true, false]) {
      const sim = new SimulatedFtdi({ emptyPackets });
      const port = await openUsbSerialPort(sim, { settings: LINE_8N1_115200, ftdi: { latencyMs: 2 } });
      const reader = new PortReader(port);
      await sleep(40);
      expect(reader.bytes).toEqual([]);
      const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: LINE_8N1_115200, periodMs: 10 });
      sim.connectMeter(meter);
      await reader.until(() => occurrences(reader.text(), '!1A2B') >= 2);
      await port.close();
      meter.detach();
    }
  });

  it('the simulated chip refuses what the silicon refuses', async () => {
    const sim = new SimulatedFtdi();
    await sim.open();
    await sim.selectConfiguration(1);
    const vendor = (request: number, value: number) => ({ requestType: 'vendor' as const, recipient: 'device' as const, request, value, index: 1 });
    await expect(sim.controlTransferOut(vendor(4, 0x0006), new Uint8Array(0))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut(vendor(9, 0), new Uint8Array(0))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut(vendor(0x42, 0), new Uint8Array(0))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut(vendor(3, 0x4001 | 0x8000), new Uint8Array(0))).rejects.toThrow(/stall/);
    await expect(sim.controlTransferOut({ ...vendor(0x20, 0), requestType: 'class' }, new Uint8Array(7))).rejects.toThrow(/stall/);
    // usb 3.1 defect kept honest: an OUT without a data argument throws.
    await expect(sim.controlTransferOut(vendor(0, 0))).rejects.toThrow(TypeError);
    // Bulk before claiming the interface is refused.
    await expect(sim.transferIn(1, 64)).rejects.toThrow(/owned first/);
  });

  it('maps a refused request to METER_ADAPTER_REFUSED and an impossible rate to METER_LINE_SETTINGS_UNSUPPORTED', async () => {
    const port = await openUsbSerialPort(new SimulatedFtdi(), { settings: LINE_8N1_115200 });
    await expect(port.setLineSettings({ ...LINE_8N1_115200, baudRate: 50 })).rejects.toSatisfy((e: unknown) => isError(e, 'METER_LINE_SETTINGS_UNSUPPORTED'));
    await expect(port.setLineSettings({ ...LINE_8N1_115200, stopBits: 1.5 })).rejects.toSatisfy((e: unknown) => isError(e, 'METER_ADAPTER_REFUSED'));
    await port.close();
  });
});
