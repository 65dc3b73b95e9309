import { describe, expect, it } from 'vitest';
import { DsmrDecoder } from '../../../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { SmartyDecoder } from '../../../../../main/meter/protocols/dsmr/smarty-decoder.js';
import type { DecodeEvent } from '../../../../../main/meter/protocols/decoder.js';
import { quantity } from '../../../../../main/meter/reading.js';
import { driftingClock, ManualClock, SimulatedDsmrMeter, SimulatedSmlMeter } from '../../../../../main/meter/sim/meters/index.js';
import { WireCapture } from './wire-capture.js';

const T0 = Date.UTC(2026, 0, 14, 11, 0, 0);

describe('the simulated DSMR P1 port', () => {
  it('pushes one telegram per second (DSMR 5) at 115200 8N1, with totals that never drop', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedDsmrMeter({ version: '5.0', clock, seed: 2 });
    const wire = new WireCapture();
    meter.attach(wire);
    clock.advance(5_000);
    const events: DecodeEvent[] = [];
    new DsmrDecoder((e) => events.push(e)).push(wire.bytes(), T0);
    expect(events.map((e) => e.kind)).toEqual(['reading', 'reading', 'reading', 'reading', 'reading']);
    expect(wire.chunks.every((c) => c.sentWith.baudRate === 115_200 && c.sentWith.dataBits === 8)).toBe(true);
    const totals = events.map((e) => (e.kind === 'reading' ? quantity(e.reading, '1.8.0')!.value : -1));
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
    const times = events.map((e) => (e.kind === 'reading' ? e.reading.meterTime : null));
    expect(times).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 1000));
    meter.detach();
    clock.advance(5_000);
    expect(meter.sent).toBe(5);
  });

  it('runs DSMR 2.2 at 9600 7E1 every 10 s by default', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedDsmrMeter({ version: '2.2', clock });
    expect(meter.settings).toEqual({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 });
    const wire = new WireCapture();
    meter.attach(wire);
    clock.advance(25_000);
    expect(meter.sent).toBe(2);
  });

  it('keeps a meter clock that drifts from the host clock when given one', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedDsmrMeter({ version: '5.0', clock, meterClock: driftingClock(clock, 200, T0) });
    const wire = new WireCapture();
    meter.attach(wire);
    clock.advance(3_600_000); // an hour: 200 ppm = 0.72 s
    const events: DecodeEvent[] = [];
    new DsmrDecoder((e) => events.push(e)).push(wire.chunks.at(-1)!.bytes, T0);
    // the last telegram may be split over chunks; decode the whole capture instead
    const all: DecodeEvent[] = [];
    new DsmrDecoder((e) => all.push(e)).push(wire.bytes(), T0);
    const last = all.at(-1)!;
    expect(last.kind === 'reading' && last.reading.meterTime).toBe(T0 + 3_600_000); // floor to the second
    void events;
  });

  it('encrypts Smarty telegrams that only the right key opens', async () => {
    const clock = new ManualClock(T0);
    const keys = { key: new Uint8Array(16).fill(0x42), aad: new Uint8Array(16).fill(0x11) };
    const meter = new SimulatedDsmrMeter({ version: 'smarty', clock, keys });
    const wire = new WireCapture();
    meter.attach(wire);
    meter.sendOnce();
    for (let i = 0; i < 100 && wire.chunks.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const events: DecodeEvent[] = [];
    const d = new SmartyDecoder((e) => events.push(e), keys);
    d.push(wire.bytes(), T0);
    await d.settled();
    expect(events[0]!.kind).toBe('reading');
    const wrong: DecodeEvent[] = [];
    const w = new SmartyDecoder((e) => wrong.push(e), { ...keys, key: new Uint8Array(16) });
    w.push(wire.bytes(), T0);
    await w.settled();
    expect(wrong.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual(['METER_SMARTY_AUTH']);
  });
});

describe('the simulated SML eHZ meter', () => {
  it('pushes an SML file per interval at 9600 8N1 with a stable server id', () => {
    const clock = new ManualClock(T0);
    const meter = new SimulatedSmlMeter({ clock, intervalMs: 2000 });
    const wire = new WireCapture();
    meter.attach(wire);
    clock.advance(6_000);
    expect(wire.chunks).toHaveLength(3);
    expect(wire.chunks[0]!.sentWith).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
  });
});
