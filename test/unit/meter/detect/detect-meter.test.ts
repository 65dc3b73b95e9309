import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { detectMeter, type DetectAttempt } from '../../../../main/meter/detect/index.js';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import {
  SimulatedDlt645Meter,
  SimulatedDsmrMeter,
  SimulatedIec62056Meter,
  SimulatedModbusMeter,
  SimulatedSmlMeter,
} from '../../../../main/meter/sim/meters/index.js';
import type { SimulatedMeterLine } from '../../../../main/meter/sim/wire.js';
import { usbSerialPort } from '../../../../main/meter/usb/index.js';

async function detectOn(meter: SimulatedMeterLine | null, signal?: AbortSignal) {
  const ftdi = new SimulatedFtdi();
  if (meter) ftdi.connectMeter(meter);
  const port = usbSerialPort(ftdi, { family: 'ftdi' });
  await port.open(LINE_8N1_115200);
  try {
    return await detectMeter(port, { listenMs: 1300, probeMs: 700, ...(signal ? { signal } : {}) });
  } finally {
    await port.close();
  }
}

describe('auto-detection over a simulated FTDI adapter', () => {
  it.each([
    ['DSMR 5', () => new SimulatedDsmrMeter({ version: '5.0' }), 'dsmr', LINE_8N1_115200],
    ['SML eHZ', () => new SimulatedSmlMeter({ intervalMs: 500 }), 'sml', { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }],
    ['DSMR 2.2', () => new SimulatedDsmrMeter({ version: '2.2', intervalMs: 500 }), 'dsmr', { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 }],
    ['IEC 62056-21', () => new SimulatedIec62056Meter({ switchDelayMs: 250 }), 'iec62056-21', LINE_7E1_300],
    ['DL/T 645', () => new SimulatedDlt645Meter({ address: '000055554444' }), 'dlt645', { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 }],
    ['Eastron SDM120', () => new SimulatedModbusMeter(), 'modbus', { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }],
  ] as const)('finds a %s meter and records every attempt before it', async (_name, meter, protocol, line) => {
    const { target, attempts } = await detectOn(meter());
    expect(target.protocol).toBe(protocol);
    expect(attempts.at(-1)).toMatchObject({ protocol, line, outcome: 'found' });
    for (const a of attempts.slice(0, -1)) expect(a.outcome).not.toBe('found');
    if (protocol === 'dlt645') expect(target.address).toBe('000055554444');
  }, 20_000);

  it('sees garbled bytes, not a meter, when listening at the wrong speed', async () => {
    const { attempts } = await detectOn(new SimulatedSmlMeter({ intervalMs: 400 }));
    const first = attempts[0]!;
    expect(first).toMatchObject({ protocol: 'dsmr', line: LINE_8N1_115200, outcome: 'garbled' });
    expect(first.bytesSeen).toBeGreaterThan(0);
  }, 20_000);

  it('answers METER_DETECT_NONE with every attempt summarised when nothing talks', async () => {
    const seen: DetectAttempt[] = [];
    const ftdi = new SimulatedFtdi();
    const port = usbSerialPort(ftdi, { family: 'ftdi' });
    await port.open(LINE_8N1_115200);
    const err = await detectMeter(port, { listenMs: 100, probeMs: 100, onAttempt: (a) => seen.push(a) }).catch((e: unknown) => e);
    await port.close();
    expect(isError(err, 'METER_DETECT_NONE')).toBe(true);
    expect(seen.map((a) => a.outcome)).toEqual(['silent', 'silent', 'silent', 'silent', 'silent', 'silent']);
    expect(isError(err) && err.facts.summary).toContain('dlt645@2400 8E1:silent');
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(new Error('cancelled by the user')), 200);
    await expect(detectOn(null, ac.signal)).rejects.toThrow('cancelled by the user');
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
