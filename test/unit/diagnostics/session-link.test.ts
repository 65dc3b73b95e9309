import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { FrameLog } from '../../../main/diagnostics/frame-log.js';
import { RecentErrors } from '../../../main/diagnostics/recent-errors.js';
import { SessionFrames } from '../../../main/diagnostics/session-frames.js';
import { SessionLink } from '../../../main/diagnostics/session-link.js';
import { LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { MeterSession, type LinkEvent, type SessionFrame } from '../../../main/meter/session/index.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { usbSerialPort } from '../../../main/meter/usb/index.js';
import { ScriptedLine } from '../meter/session/scripted-line.js';

// Diagnostics listens to what the real session publishes (over the real FTDI driver and a
// simulated chip): frames with their own bytes and what the decoder made of them, link events
// with line settings as data, and the session's one count. It decodes and counts nothing itself.

const telegram = readFileSync(new URL('../../fixtures/protocols/dsmr-v5.txt', import.meta.url));

async function until(what: () => boolean, ms = 8000): Promise<void> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function rig() {
  const ftdi = new SimulatedFtdi();
  const line = new ScriptedLine(LINE_8N1_115200);
  ftdi.connectMeter(line);
  const session = new MeterSession({
    openPort: async () => usbSerialPort(ftdi, { family: 'ftdi' }),
    target: { protocol: 'dsmr', line: LINE_8N1_115200 },
    backoff: { initialMs: 100, maxMs: 200 },
  });
  const log = new FrameLog();
  const errors = new RecentErrors();
  const link = new SessionLink(session, { deviceId: () => 'usb:0403:6001:A1' });
  const frames = new SessionFrames(session, log);
  const offFailed = link.onFailed((e, at) => errors.record(e, 'meter.link', at));
  const published: SessionFrame[] = [];
  const linkEvents: LinkEvent[] = [];
  session.onFrame((f) => published.push(f));
  session.onLink((e) => linkEvents.push(e));
  cleanups.push(() => session.dispose(), () => link.dispose(), () => frames.dispose(), offFailed);
  session.start();
  return { ftdi, line, session, log, errors, link, frames, published, linkEvents };
}

describe('diagnostics over the session it listens to', () => {
  it('logs each frame once with its own bytes however the stream was chunked, and shows the session’s own count', async () => {
    const r = rig();
    await until(() => r.session.state === 'reading');
    const stream = Buffer.concat([Buffer.from('noise'), telegram, telegram]);
    for (let i = 0; i < stream.length; i += 37) r.line.send(stream.subarray(i, i + 37));
    await until(() => r.session.counters.readings === 2);

    // The session published each frame once, with its bytes and the decoder's result.
    const decoded = r.published.filter((f) => f.decoded);
    expect(decoded.map((f) => f.decoded!.kind)).toEqual(['error', 'reading', 'reading']);
    expect(Buffer.from(decoded[1]!.bytes).toString('latin1')).toMatch(/^\/ISk5[\s\S]*![0-9A-F]{4}$/);
    expect(telegram.toString('latin1').startsWith(Buffer.from(decoded[1]!.bytes).toString('latin1'))).toBe(true);
    // Line settings arrive as data, not as "115200 8N1".
    expect(r.linkEvents[0]).toMatchObject({ kind: 'opened', path: 'usb', family: 'ftdi', line: LINE_8N1_115200, protocol: 'dsmr' });

    // The frame log holds them as published.
    expect(r.log.query({ errorsOnly: true })[0]).toMatchObject({ text: 'noise', error: { code: 'METER_FRAMING' } });
    const ok = r.log.query().filter((f) => f.ok);
    expect(ok).toHaveLength(2);
    expect(ok[0]!.text.startsWith('/ISk5')).toBe(true);
    expect(ok[0]!.decoded).toMatch(/^reading meter /);
    expect(r.frames.meterIds).toHaveLength(1);

    // The link stats read the session's count, so they cannot disagree with it.
    const s = r.link.linkStats()!;
    const c = r.session.counters;
    expect(s).toMatchObject({ state: 'open', framesOk: 2, framingErrors: 1, protocol: 'dsmr', deviceId: 'usb:0403:6001:A1', line: LINE_8N1_115200, family: 'ftdi', path: 'usb' });
    expect([s.framesOk, s.checksumErrors, s.framingErrors, s.timeouts]).toEqual([c.framesOk, c.checksumErrors, c.framingErrors, c.timeouts]);
    expect(s.bytesIn).toBe(stream.length);
    expect(s.lastByteAt).toBeGreaterThan(0);
    expect(s.openedAt).toBeGreaterThan(0);
  });

  it('names the device in a link failure, keeps it as a recent error, and counts across the reconnect', async () => {
    const r = rig();
    await until(() => r.session.state === 'reading');
    r.line.send(telegram);
    await until(() => r.session.counters.readings === 1);
    r.ftdi.unplug();
    await until(() => r.session.state === 'waiting');
    const failed = r.linkEvents.find((e) => e.kind === 'failed');
    expect(failed && isError(failed.error, 'METER_DEVICE_GONE')).toBe(true);
    expect(r.errors.list()[0]).toMatchObject({ source: 'meter.link', error: { code: 'METER_DEVICE_GONE', facts: { deviceId: 'usb:0403:6001:A1' } } });
    const down = r.link.linkStats()!;
    expect(down).toMatchObject({ state: 'reconnecting', openedAt: null, framesOk: 1, lastError: { code: 'METER_DEVICE_GONE' } });
    expect(down.reconnects[0]!.reason).toBe('METER_DEVICE_GONE');
    expect(r.linkEvents.map((e) => e.kind)).toContain('closed');

    r.ftdi.replug();
    await until(() => r.session.state === 'reading');
    r.line.send(telegram);
    await until(() => r.session.counters.readings === 2);
    expect(r.link.linkStats()).toMatchObject({ state: 'open', framesOk: 2 });
  });

  it('joins a session that is already reading (the composition starts the meter before diagnostics) and still names its adapter', async () => {
    const ftdi = new SimulatedFtdi();
    const line = new ScriptedLine(LINE_8N1_115200);
    ftdi.connectMeter(line);
    const session = new MeterSession({ openPort: async () => usbSerialPort(ftdi, { family: 'ftdi' }), target: { protocol: 'dsmr', line: LINE_8N1_115200 } });
    cleanups.push(() => session.dispose());
    session.start();
    await until(() => session.state === 'reading');
    const link = new SessionLink(session, { deviceId: () => 'usb:0403:6001:A1' });
    cleanups.push(() => link.dispose());
    line.send(telegram);
    await until(() => session.counters.readings === 1);
    expect(link.linkStats()).toMatchObject({ state: 'open', deviceId: 'usb:0403:6001:A1', family: 'ftdi', framesOk: 1, line: LINE_8N1_115200 });
    expect(link.linkStats()!.openedAt).toBeGreaterThan(0);
  });
});
