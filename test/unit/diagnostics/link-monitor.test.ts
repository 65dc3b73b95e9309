import { describe, expect, it } from 'vitest';
import { FrameLog } from '../../../main/diagnostics/frame-log.js';
import { LinkMonitor } from '../../../main/diagnostics/link-monitor.js';
import { StreamHistory } from '../../../main/diagnostics/stream-history.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';
import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/index.js';
import { readFileSync } from 'node:fs';

describe('stream history', () => {
  it('slices by absolute offset and forgets what was overwritten', () => {
    const h = new StreamHistory(8);
    h.append(Uint8Array.from([0, 1, 2, 3, 4, 5]));
    expect([...h.slice(2, 3)]).toEqual([2, 3, 4]);
    h.append(Uint8Array.from([6, 7, 8, 9]));
    expect(h.end).toBe(10);
    expect([...h.slice(0, 4)]).toEqual([2, 3]); // 0 and 1 were overwritten
    expect([...h.slice(8, 10)]).toEqual([8, 9]);
    h.reset();
    expect([...h.slice(0, 2)]).toEqual([]);
  });
});

describe('link monitor', () => {
  const telegram = readFileSync(new URL('../../fixtures/protocols/dsmr-v5.txt', import.meta.url));

  it('counts frames and errors, and logs each frame with its own bytes however the stream was chunked', async () => {
    const log = new FrameLog();
    const m = new LinkMonitor({ tap: log });
    m.opened({ deviceId: 'dev', family: 'ftdi', path: 'usb', protocol: 'dsmr', line: LINE_8N1_115200 });
    const at = Date.now(); // the log keeps the last minutes only
    const decoder = new DsmrDecoder((e) => m.decoded(e, at));
    const stream = Buffer.concat([Buffer.from('noise'), telegram, telegram]);
    for (let i = 0; i < stream.length; i += 37) {
      const chunk = stream.subarray(i, i + 37);
      m.received(chunk, at);
      decoder.push(chunk, at);
    }
    await decoder.settled();
    const s = m.linkStats()!;
    expect(s).toMatchObject({ state: 'open', framesOk: 2, framingErrors: 1, bytesIn: stream.length, protocol: 'dsmr', deviceId: 'dev' });
    expect(log.query({ errorsOnly: true })[0]).toMatchObject({ text: 'noise', error: { code: 'METER_FRAMING' } });
    const ok = log.query().filter((f) => f.ok);
    expect(ok).toHaveLength(2);
    // The logged bytes are exactly one telegram: from '/' to the CRC.
    const bytes = Buffer.from(ok[0]!.hex.replace(/ /g, ''), 'hex').toString('latin1');
    expect(telegram.toString('latin1').startsWith(bytes)).toBe(true);
    expect(bytes).toMatch(/^\/ISk5[\s\S]*![0-9A-F]{4}$/);
    expect(ok[0]!.text.startsWith('/ISk5')).toBe(true);
    expect(ok[0]!.decoded).toMatch(/^reading meter /);
    expect(m.meterIds).toHaveLength(1);
  });

  it('keeps totals across reconnects and records each one with its time', () => {
    const m = new LinkMonitor();
    m.opened({ deviceId: 'dev', family: 'ftdi', path: 'usb', protocol: 'dsmr', line: LINE_8N1_115200 });
    m.received(new Uint8Array(10), 1);
    m.reconnecting('METER_DEVICE_GONE', 2000);
    expect(m.linkStats()).toMatchObject({ state: 'reconnecting', openedAt: null, reconnects: [{ at: 2000, reason: 'METER_DEVICE_GONE' }] });
    m.opened({ deviceId: 'dev', family: 'ftdi', path: 'usb', protocol: 'dsmr', line: LINE_8N1_115200 });
    m.received(new Uint8Array(5), 3);
    expect(m.linkStats()).toMatchObject({ state: 'open', bytesIn: 15 });
    m.failed(new Error('boom'), 4);
    expect(m.linkStats()).toMatchObject({ state: 'failed', lastError: { code: 'INTERNAL', message: 'boom' } });
  });
});
