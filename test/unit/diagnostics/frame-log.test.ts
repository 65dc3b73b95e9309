import { describe, expect, it } from 'vitest';
import { FrameLog, fromHex, toHex, toPrintable } from '../../../main/diagnostics/frame-log.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('frame log', () => {
  it('formats hex and printable text once, on the way in', () => {
    const log = new FrameLog({ now: () => 1000 });
    log.onFrame({ direction: 'in', bytes: bytes('/ISK5\r\n!AB\x00'), at: 1000, protocol: 'dsmr', ok: true, decoded: 'reading' });
    const [e] = log.query();
    expect(e).toMatchObject({ seq: 0, hex: '2f 49 53 4b 35 0d 0a 21 41 42 00', text: '/ISK5␍␊!AB·', decoded: 'reading', length: 11, truncated: false });
    expect([...fromHex(e!.hex)]).toEqual([...bytes('/ISK5\r\n!AB\x00')]);
    expect(toHex(new Uint8Array([0xff, 0x01]))).toBe('ff 01');
    expect(toPrintable(new Uint8Array([0x7f]))).toBe('·');
  });

  it('keeps only the last minutes', () => {
    let now = 0;
    const log = new FrameLog({ windowMs: 60_000, now: () => now });
    for (let t = 0; t <= 120_000; t += 1000) {
      now = t;
      log.onFrame({ direction: 'in', bytes: bytes('x'), at: t, ok: true });
    }
    const frames = log.query();
    expect(frames[0]!.at).toBe(60_000);
    expect(frames.at(-1)!.at).toBe(120_000);
    expect(log.oldestSeq).toBe(60);
  });

  it('stays within its memory and count caps however much garbage arrives', () => {
    const log = new FrameLog({ maxBytes: 100_000, maxFrames: 10_000, maxFrameBytes: 512, now: () => 0 });
    const junk = new Uint8Array(5000).fill(0x55);
    for (let i = 0; i < 600; i++) log.onFrame({ direction: 'in', bytes: junk, at: 0, ok: false, error: { code: 'METER_FRAMING', detail: 'noise' } });
    expect(log.heldBytes).toBeLessThanOrEqual(100_000);
    expect(log.size).toBeGreaterThan(0);
    const last = log.query({ limit: 1 })[0]!;
    expect(last).toMatchObject({ length: 5000, truncated: true, seq: 599 });
    expect(last.hex.split(' ')).toHaveLength(512);
    const count = new FrameLog({ maxFrames: 10, now: () => 0 });
    for (let i = 0; i < 50; i++) count.onFrame({ direction: 'in', bytes: bytes('a'), at: 0, ok: true });
    expect(count.size).toBe(10);
  });

  it('answers frames after a seq, filtered by direction, errors and text, newest kept under a limit', () => {
    const log = new FrameLog({ now: () => 0 });
    log.onFrame({ direction: 'out', bytes: bytes('/?!\r\n'), at: 0, ok: true, protocol: 'iec62056-21' });
    log.onFrame({ direction: 'in', bytes: bytes('/ISK5'), at: 0, ok: true, decoded: 'identification ISK' });
    log.onFrame({ direction: 'in', bytes: bytes('garbage'), at: 0, ok: false, error: { code: 'METER_CHECKSUM', detail: 'bcc' } });
    expect(log.query({ afterSeq: 0 }).map((f) => f.seq)).toEqual([1, 2]);
    expect(log.query({ direction: 'out' }).map((f) => f.seq)).toEqual([0]);
    expect(log.query({ errorsOnly: true }).map((f) => f.seq)).toEqual([2]);
    expect(log.query({ contains: 'checksum' }).map((f) => f.seq)).toEqual([2]);
    expect(log.query({ contains: '2f 49' }).map((f) => f.seq)).toEqual([1]);
    expect(log.query({ contains: '2f49' }).map((f) => f.seq)).toEqual([1]);
    expect(log.query({ limit: 2 }).map((f) => f.seq)).toEqual([1, 2]);
  });

  it('tells subscribers about each new frame', () => {
    const log = new FrameLog();
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.seq));
    log.onFrame({ direction: 'in', bytes: bytes('a'), at: Date.now(), ok: true });
    off();
    log.onFrame({ direction: 'in', bytes: bytes('b'), at: Date.now(), ok: true });
    expect(seen).toEqual([0]);
  });
});
