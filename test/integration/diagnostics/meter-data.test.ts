import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameLog, MeterData, SessionFrames } from '../../../main/diagnostics/index.js';
import { MeterSession } from '../../../main/meter/session/index.js';
import { RepeatingLineMeter } from '../../../main/meter/sim/adapters/repeating-line-meter.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { MeterDiscovery, usbSerialPort } from '../../../main/meter/usb/index.js';
import { LINE_7E1_9600, until } from './harness.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/protocols/${name}`, import.meta.url)));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The real session on a simulated FTDI cable, a meter pushing `telegram`; diagnostics listening. */
async function readMeter(telegram: Uint8Array) {
  const backend = new SimulatedUsbBackend({ noSubsystem: false });
  const adapter = new SimulatedFtdi({ serialNumber: 'A50285BI' });
  backend.plug(adapter);
  adapter.connectMeter(new RepeatingLineMeter({ message: telegram, settings: LINE_7E1_9600, periodMs: 40, pieceSize: 64 }));
  const discovery = new MeterDiscovery({ backend, platform: 'linux' });
  const id = discovery.deviceId(adapter);
  const session = new MeterSession({
    openPort: async () => usbSerialPort((await backend.getDevices()).find((d) => discovery.deviceId(d) === id)!),
    target: { protocol: 'dsmr', line: LINE_7E1_9600 },
  });
  const frameLog = new FrameLog();
  const frames = new SessionFrames(session, frameLog);
  const meterData = new MeterData(session);
  cleanups.push(async () => {
    await session.dispose();
    frames.dispose();
    meterData.dispose();
    await discovery.dispose();
    backend.dispose();
  });
  session.start();
  return { meterData, frameLog, session };
}

describe('Diagnostics shows per meter what readings carried beyond the current registers (issue 21)', () => {
  it('counts the eBZ DD3 status line the decoder cannot read, per meter, and shows it', async () => {
    const { meterData, frameLog } = await readMeter(fixture('dsmr-ebz-dd3.txt'));
    const [m] = await until('three readings', () => meterData.snapshot(), (s) => (s[0]?.readings ?? 0) >= 3);
    expect(m).toMatchObject({ meterId: '1EBZ0100507409', protocol: 'dsmr', noQuantities: 0, history: [], quirks: [] });
    expect(m!.unread).toBe(m!.readings); // one line per telegram
    expect(m!.readingsWithUnread).toBe(m!.readings);
    expect(m!.lastUnread).toEqual(['1-0:96.5.0*255(001C0104)']);
    // The frame log's line for the reading names it too.
    const entry = frameLog.query({}).find((e) => e.decoded?.startsWith('reading'))!;
    expect(entry.decoded).toContain('1 unread: 1-0:96.5.0*255(001C0104)');
  });

  it('names the quirk corrected in a Fluvius meter whose values have no "*" before the unit', async () => {
    const { meterData } = await readMeter(fixture('dsmr-fluvius-unit-without-star.txt'));
    const [m] = await until('two readings', () => meterData.snapshot(), (s) => (s[0]?.readings ?? 0) >= 2);
    expect(m!.quirks).toEqual([{ id: 'dsmr-unit-without-star', readings: m!.readings }]);
    expect(m!.unread).toBe(0);
  });

  it('shows register history (an F group) there, while history and roll-ups take only the current register', async () => {
    // The eBZ telegram with the previous billing period's register added (IEC 62056-61 F = 96).
    const text = new TextDecoder().decode(fixture('dsmr-ebz-dd3.txt')).replace('1-0:16.7.0', '1-0:1.8.0*96(000100.00000000*kWh)\r\n1-0:16.7.0');
    const { meterData } = await readMeter(new TextEncoder().encode(text));
    const [m] = await until('a reading', () => meterData.snapshot(), (s) => (s[0]?.readings ?? 0) >= 1);
    expect(m!.history).toEqual([{ obis: '1.8.0*96', value: 100_000, unit: 'Wh', at: expect.any(Number) }]);
  });

  it('reports the frame a closing link cut as METER_TRUNCATED in the frame log (nothing dropped silently)', async () => {
    const { frameLog, session } = await readMeter(fixture('dsmr-ebz-dd3.txt').subarray(0, 100)); // never a whole telegram
    await until('a torn telegram', () => frameLog.query({ errorsOnly: true }), (f) => f.length >= 1);
    await session.dispose();
    const codes = frameLog.query({ errorsOnly: true }).map((e) => e.error?.code);
    expect(codes.at(-1)).toBe('METER_TRUNCATED');
    expect(codes.slice(0, -1).every((c) => c === 'METER_FRAMING')).toBe(true); // each cut by the next start
  });
});
