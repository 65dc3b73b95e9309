import { afterEach, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { LINE_7E1_300, LINE_8N1_115200, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import { RepeatingLineMeter } from '../../../../main/meter/sim/adapters/repeating-line-meter.js';
import type { SimulatedUsbAdapter } from '../../../../main/meter/sim/adapters/simulated-usb-adapter.js';
import { SimulatedUsbBackend } from '../../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import type { UsbSerialPort } from '../../../../main/meter/usb/usb-serial-port.js';
import { dsmrLikeBlock, occurrences, PortReader } from './port-reader.js';

const LINE_9600_8N1: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
const LINE_2400_7E1: LineSettings = { baudRate: 2400, dataBits: 7, parity: 'even', stopBits: 1 };

/**
 * The behaviour every adapter family must show against its simulated chip: open at the
 * speeds meters use, read a stream that crosses packet boundaries, write, change speed on the
 * open port, survive an unplug mid-read and recover after re-plugging.
 */
export function adapterFamilySuite(family: string, makeSim: () => SimulatedUsbAdapter): void {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(meterLine: LineSettings, hostLine: LineSettings = meterLine) {
    const sim = makeSim();
    const backend = new SimulatedUsbBackend();
    backend.plug(sim);
    const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: meterLine, periodMs: 20, pieceSize: 37 });
    sim.connectMeter(meter);
    const port = usbSerialPort(sim);
    const reader = new PortReader(port);
    cleanup.push(() => backend.dispose(), () => port.close(), () => meter.detach());
    await port.open(hostLine);
    return { sim, backend, meter, port, reader };
  }

  const text = new TextDecoder().decode(dsmrLikeBlock());

  it.each([
    ['115200 8N1', LINE_8N1_115200],
    ['9600 8N1', LINE_9600_8N1],
    ['2400 7E1', LINE_2400_7E1],
    ['300 7E1', LINE_7E1_300],
  ])(`${family}: reads whole blocks across packet boundaries at %s`, async (_name, line) => {
    const { port, reader } = await setup(line);
    expect(port.family).toBe(family);
    await reader.until(() => occurrences(reader.text(), '!1A2B') >= 3);
    // Every byte arrives once, in order, with nothing of the adapter's framing left in it.
    const body = reader.text();
    const first = body.indexOf('/ISK5');
    expect(body.slice(first, first + text.length * 2)).toBe(text + text);
    expect(port.stats.lineErrors).toEqual({ overrun: 0, parity: 0, framing: 0, break: 0 });
    expect(port.stats.bytesIn).toBe(reader.bytes.length);
  });

  it(`${family}: garbles bytes when the host runs at the wrong speed`, async () => {
    const { reader } = await setup(LINE_8N1_115200, LINE_9600_8N1);
    await reader.until(() => reader.bytes.length > 50 || reader.errors.length > 0);
    expect(reader.text()).not.toContain('1-0:1.8.1');
  });

  it(`${family}: writes reach the meter with the host's line settings`, async () => {
    const { port, meter } = await setup(LINE_7E1_300);
    await port.write(new TextEncoder().encode('/?!\r\n'));
    expect(meter.received).toHaveLength(1);
    expect(new TextDecoder().decode(meter.received[0]!.bytes)).toBe('/?!\r\n');
    expect(meter.received[0]!.sentWith).toMatchObject({ baudRate: 300, dataBits: 7, parity: 'even' });
    expect(port.stats.bytesOut).toBe(5);
  });

  it(`${family}: changes speed on the open port (IEC 62056-21 300 → 9600)`, async () => {
    const { port, meter, reader } = await setup(LINE_7E1_300);
    await reader.until(() => reader.text().includes('!1A2B'));
    const switched: LineSettings = { ...LINE_7E1_300, baudRate: 9600 };
    meter.settings = switched;
    await port.setLineSettings(switched);
    expect(port.settings).toEqual(switched);
    reader.clear();
    await reader.until(() => occurrences(reader.text(), '!1A2B') >= 2);
    const body = reader.text();
    expect(body.slice(body.indexOf('/ISK5'))).toContain(text);
  });

  it(`${family}: reports the device gone when unplugged mid-read, and reads again after re-plug`, async () => {
    const { sim, backend, port, reader, meter } = await setup(LINE_8N1_115200);
    await reader.until(() => reader.bytes.length > 100);
    backend.unplug(sim);
    await reader.until(() => reader.errors.length > 0);
    expect(isError(reader.errors[0], 'METER_DEVICE_GONE')).toBe(true);
    expect(port.isOpen).toBe(false);
    await expect(port.write(Uint8Array.of(1))).rejects.toSatisfy((e: unknown) => isError(e, 'METER_PORT_NOT_OPEN'));

    backend.plug(sim);
    const [again] = await backend.getDevices();
    const port2: UsbSerialPort = usbSerialPort(again!);
    const reader2 = new PortReader(port2);
    cleanup.push(() => port2.close());
    await port2.open(LINE_8N1_115200);
    expect(meter.settings).toEqual(LINE_8N1_115200);
    await reader2.until(() => occurrences(reader2.text(), '!1A2B') >= 2);
    expect(reader2.errors).toEqual([]);
  });

  it(`${family}: close() ends reading and a second close is harmless`, async () => {
    const { port, reader, sim } = await setup(LINE_9600_8N1);
    await reader.until(() => reader.bytes.length > 0);
    await port.close();
    expect(sim.opened).toBe(false);
    const n = reader.bytes.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(reader.bytes.length).toBe(n);
    await port.close();
    expect(reader.errors).toEqual([]);
  });
}
