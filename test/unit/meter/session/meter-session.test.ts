import { afterEach, describe, expect, it } from 'vitest';
import { readingSchema, sessionStatusSchema } from '../../../../main/api/session.js';
import { MeterSession, sessionHandlers, type SessionStatus } from '../../../../main/meter/session/index.js';
import { detectMeter } from '../../../../main/meter/detect/index.js';
import { quantity, type Reading } from '../../../../main/meter/reading.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedDlt645Meter, SimulatedDsmrMeter } from '../../../../main/meter/sim/meters/index.js';
import { LINE_8N1_115200, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import { crc16Arc } from '../../../../main/meter/protocols/crc16.js';
import { usbSerialPort } from '../../../../main/meter/usb/index.js';
import { ScriptedLine } from './scripted-line.js';

function telegram(t1Wh: number): Uint8Array {
  const body = `/ISk5\\2MT382-1000\r\n\r\n0-0:96.1.1(4B384547303034303436333935353037)\r\n1-0:1.8.1(${(t1Wh / 1000).toFixed(3).padStart(10, '0')}*kWh)\r\n1-0:1.8.2(000001.000*kWh)\r\n1-0:1.7.0(00.420*kW)\r\n!`;
  const b = new TextEncoder().encode(body);
  const crc = crc16Arc(b).toString(16).toUpperCase().padStart(4, '0');
  return new TextEncoder().encode(`${body}${crc}\r\n`);
}

const sessions: MeterSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

function start(ftdi: SimulatedFtdi, extra: Partial<ConstructorParameters<typeof MeterSession>[0]> = {}): MeterSession {
  const s = new MeterSession({
    openPort: async () => usbSerialPort(ftdi, { family: 'ftdi' }),
    target: { protocol: 'dsmr', line: LINE_8N1_115200 },
    backoff: { initialMs: 100, maxMs: 400 },
    ...extra,
  });
  sessions.push(s);
  s.start();
  return s;
}

function until<T>(what: () => T | undefined | false, ms = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const v = what();
      if (v) return resolve(v);
      if (Date.now() - t0 > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('the meter session over a simulated FTDI adapter', () => {
  it('reads a DSMR 5 meter once a second; registers only go up; status and readings fit the contract', async () => {
    const ftdi = new SimulatedFtdi();
    ftdi.connectMeter(new SimulatedDsmrMeter({ version: '5.0', seed: 9 }));
    const s = start(ftdi);
    const got: Reading[] = [];
    s.onReading((r) => got.push(r));
    await until(() => got.length >= 3);
    const totals = got.map((r) => quantity(r, '1.8.0')!.value);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
    for (const r of got) expect(readingSchema.parse(r)).toEqual(r);
    const status = sessionStatusSchema.parse(await sessionHandlers(s)['meter.session.status']({}, { host: 'cli' }));
    expect(status).toMatchObject({ state: 'reading', protocol: 'dsmr', line: '115200 8N1', meterId: 'E0025000123456789', adapter: 'usb:ftdi' });
    expect(status.counters.framesOk).toBeGreaterThanOrEqual(3);
    expect(status.counters.checksumErrors).toBe(0);
    expect(status.link!.bytesIn).toBeGreaterThan(2000);
  });

  it('yields no reading from a telegram torn by an unplug, reconnects with backoff, and reads on after replug', async () => {
    const ftdi = new SimulatedFtdi();
    const line = new ScriptedLine(LINE_8N1_115200);
    ftdi.connectMeter(line);
    const s = start(ftdi);
    const got: Reading[] = [];
    const states: SessionStatus['state'][] = [];
    s.onReading((r) => got.push(r));
    s.onState((st) => states.push(st.state));
    await until(() => s.state === 'reading');
    line.send(telegram(111_000));
    await until(() => got.length === 1);
    const torn = telegram(222_000);
    line.send(torn.subarray(0, 60));
    await new Promise((r) => setTimeout(r, 150)); // let the half telegram reach the host
    ftdi.unplug();
    await until(() => s.state === 'waiting' && s.counters.reconnects >= 1);
    await new Promise((r) => setTimeout(r, 300)); // a reconnect attempt fails while unplugged
    ftdi.replug();
    await until(() => s.state === 'reading');
    line.send(torn.subarray(60)); // the rest of the torn telegram, then a whole one
    line.send(telegram(333_000));
    await until(() => got.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.map((r) => quantity(r, '1.8.1')!.value)).toEqual([111_000, 333_000]);
    expect(s.counters.reconnects).toBeGreaterThanOrEqual(2); // the unplug, and the failed open while unplugged
    expect(s.counters.recentReconnects[0]!.at).toBeGreaterThan(0);
    expect(s.counters.framingErrors).toBeGreaterThanOrEqual(1); // the tail of the torn telegram
    expect(states).toContain('connecting');
  });

  it('counts a damaged telegram as a checksum error and gives no reading for it', async () => {
    const ftdi = new SimulatedFtdi();
    const line = new ScriptedLine(LINE_8N1_115200);
    ftdi.connectMeter(line);
    const s = start(ftdi);
    const got: Reading[] = [];
    s.onReading((r) => got.push(r));
    await until(() => s.state === 'reading');
    const bad = telegram(500_000);
    bad[70]! ^= 0x04;
    line.send(bad);
    line.send(telegram(600_000));
    await until(() => got.length === 1);
    expect(quantity(got[0]!, '1.8.1')!.value).toBe(600_000);
    expect(s.counters.checksumErrors).toBe(1);
  });

  it('counts a silent meter as timeouts and keeps trying', async () => {
    const ftdi = new SimulatedFtdi();
    ftdi.connectMeter(new ScriptedLine(LINE_8N1_115200));
    const s = start(ftdi, { timing: { silenceMs: 250 } });
    await until(() => s.counters.timeouts >= 2 && s.counters.reconnects >= 2);
    expect(s.counters.lastErrorCode).toBe('METER_NO_ANSWER');
    expect(s.counters.recentReconnects.map((r) => r.reason)).toContain('METER_NO_ANSWER');
  });

  it('detects and polls a DL/T 645 meter, merging a cycle into one reading with the meter clock', async () => {
    const ftdi = new SimulatedFtdi();
    const meter = new SimulatedDlt645Meter({ address: '000099887766', replyDelayMs: 10 });
    ftdi.connectMeter(meter);
    const s = start(ftdi, {
      target: { detect: { listenMs: 300, probeMs: 600 } },
      detect: detectMeter,
      timing: { pollMs: 200, answerTimeoutMs: 800 },
    });
    const got: Reading[] = [];
    s.onReading((r) => got.push(r));
    await until(() => got.length >= 1, 20_000);
    const r = got[0]!;
    expect(r).toMatchObject({ meterId: '000099887766', protocol: 'dlt645' });
    expect(Math.abs(r.meterTime! - Date.now())).toBeLessThan(5000);
    const st = meter.household.at(Date.now());
    expect(quantity(r, '1.8.0')!.value).toBe(Math.floor((st.import1Wh + st.import2Wh) / 10) * 10);
    expect(quantity(r, '32.7.0')!.unit).toBe('mV');
    expect(s.status().line).toBe('2400 8E1');
    expect(s.counters.exceptions).toBe(0);
  }, 30_000);

  it('stops cleanly on dispose', async () => {
    const ftdi = new SimulatedFtdi();
    ftdi.connectMeter(new SimulatedDsmrMeter({ version: '5.0' }));
    const s = start(ftdi);
    await until(() => s.state === 'reading');
    await s.dispose();
    expect(s.state).toBe('stopped');
    expect(ftdi.opened).toBe(false);
  });
});
