import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Arc } from '../../../../../main/meter/protocols/crc16.js';
import type { DecodeEvent } from '../../../../../main/meter/protocols/decoder.js';
import { DsmrDecoder } from '../../../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { DsmrTelegramShape } from '../../../../../main/meter/protocols/dsmr/dsmr-shape.js';
import { parseDsmrTelegram } from '../../../../../main/meter/protocols/dsmr/dsmr-telegram.js';
import { ManualClock, SimulatedDsmrMeter } from '../../../../../main/meter/sim/meters/index.js';
import { concat, enc } from '../helpers.js';

/*
 * The decoder reads a telegram that repeats the last one's shape without the line parser
 * (dsmr-shape.ts). These tests hold that fast path to the line parser: same readings, same
 * errors, same CRC verdicts, for telegrams that fit the shape and for every way of not fitting.
 */

const latin1 = new TextDecoder('latin1');

function telegramsOf(version: '5.0' | '4.2' | 'e-mucs', seed: number, n: number): string[] {
  const clock = new ManualClock(Date.UTC(2026, 2, 29, 0, 30, 0) + seed * 3_600_000);
  const meter = new SimulatedDsmrMeter({ version, clock, seed });
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    clock.advance(1000 + seed * 37);
    out.push(meter.telegram());
  }
  return out;
}

/** The body up to and including '!', then the CRC the telegram would carry for it. */
function withCrc(body: Uint8Array): Uint8Array {
  const crc = crc16Arc(body).toString(16).toUpperCase().padStart(4, '0');
  return concat([body, enc(`${crc}\r\n`)]);
}

function bodyOf(telegram: string): Uint8Array {
  return enc(telegram.slice(0, telegram.indexOf('\r\n!') + 3));
}

/** Events of `next`, decoded by a decoder that has just read `first` (shape in hand). */
function afterShape(first: Uint8Array, next: Uint8Array): string[] {
  const events: DecodeEvent[] = [];
  const d = new DsmrDecoder((e) => events.push(e));
  d.push(first, 1000);
  const seen = events.length;
  d.push(next, 2000);
  return events.slice(seen).map((e) => JSON.stringify({ ...e, offset: e.offset - first.length }));
}

/** Events of `next` from a decoder that has never seen a telegram: the line parser alone. */
function fresh(next: Uint8Array): string[] {
  const events: DecodeEvent[] = [];
  const d = new DsmrDecoder((e) => events.push(e), { crc: 'required' });
  d.push(next, 2000);
  return events.map((e) => JSON.stringify(e));
}

const interesting = '0123456789.-*()!/SWK\r\n:'.split('').map((c) => c.charCodeAt(0));
/** What a value span may turn into and still be read: digits, a moved point, a sign, a DST flag. */
const valueChars = '09.-SW'.split('').map((c) => c.charCodeAt(0));

describe('DSMR telegram shape (fast path for repeating telegrams)', () => {
  it('reads the next telegram of a meter through the shape, exactly as the line parser does', () => {
    for (const version of ['5.0', '4.2', 'e-mucs'] as const) {
      const [a, b] = telegramsOf(version, 3, 2).map((t) => enc(t));
      const shape = new DsmrTelegramShape();
      const endA = a!.indexOf(0x21);
      parseDsmrTelegram(a!, 0, endA, 1000, undefined, shape);
      expect(shape.length).toBe(endA);
      const endB = b!.indexOf(0x21);
      expect(endB).toBe(endA); // fixed-width values: the simulated meter keeps its length
      const fast = shape.parse(b!, 0, endB, 2000);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(parseDsmrTelegram(b!, 0, endB, 2000));
      expect(shape.crc).toBe(crc16Arc(b!, 0, endB + 1));
    }
  });

  it('gives the same events as the line parser for any same-length change, CRC fixed up or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('5.0' as const, '4.2' as const, 'e-mucs' as const),
        fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...interesting), fc.constantFrom(...valueChars), fc.integer({ min: 0, max: 255 })), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        fc.constantFrom(0, 0, 0, -1, 1),
        fc.nat(),
        (seed, version, changes, fixCrc, lengthChange, at) => {
          const [t0, t1] = telegramsOf(version, seed, 2);
          const first = enc(t0!);
          let body = bodyOf(t1!);
          // Sometimes one byte fewer or more, so the telegram cannot have the last one's length.
          const cut = 1 + (at % (body.length - 2));
          if (lengthChange !== 0) body = concat([body.subarray(0, cut), lengthChange > 0 ? enc('7') : new Uint8Array(0), body.subarray(lengthChange > 0 ? cut : cut + 1)]);
          // Half the changes land inside a value group "(…)", where the shape's spans are.
          const inValues = [...body.keys()].filter((i) => body.lastIndexOf(0x28, i) > body.lastIndexOf(0x29, i - 1) && body[i] !== 0x28);
          for (const [pos, byte, inValue] of changes) {
            body[inValue ? inValues[pos % inValues.length]! : 1 + (pos % (body.length - 2))] = byte; // never '/' or '!'
          }
          const next = fixCrc ? withCrc(body) : enc(latin1.decode(body) + t1!.slice(t1!.indexOf('\r\n!') + 3));
          expect(afterShape(first, next)).toEqual(fresh(next));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives the same readings when only values change, the common case, over a day of telegrams', () => {
    const ts = telegramsOf('5.0', 7, 200).map((t) => enc(t));
    const stream = concat(ts);
    const viaShape: string[] = [];
    new DsmrDecoder((e) => viaShape.push(JSON.stringify(e.kind === 'reading' ? e.reading : e))).push(stream, 0);
    const viaParser = ts.map((t) => JSON.stringify(parseDsmrTelegram(t, 0, t.indexOf(0x21), 0)));
    expect(viaShape).toEqual(viaParser);
  });

  it('falls back to the line parser when a value span stops being a number or the length changes', () => {
    const [a, b] = telegramsOf('5.0', 5, 2).map((t) => enc(t));
    const shape = new DsmrTelegramShape();
    parseDsmrTelegram(a!, 0, a!.indexOf(0x21), 0, undefined, shape);
    const star = b!.indexOf(0x2a); // the '*' after the first energy value: its last digit is just before
    const notNumber = b!.slice();
    notNumber[star - 1] = 0x41; // 'A'
    expect(shape.parse(notNumber, 0, notNumber.indexOf(0x21), 0)).toBeNull();
    const longer = enc(latin1.decode(b!).replace('(50)', '(500)'));
    expect(shape.parse(longer, 0, longer.indexOf(0x21), 0)).toBeNull();
    const sameLengthOtherLine = enc(latin1.decode(b!).replace('1-3:0.2.8(50)', '1-3:0.2.8(51)'));
    expect(shape.parse(sameLengthOtherLine, 0, sameLengthOtherLine.indexOf(0x21), 0)).toBeNull();
    // A count ("(00002)", no unit) with a decimal point is no count: the line parser keeps it raw.
    const countWithPoint = enc(latin1.decode(b!).replace(/1-0:32\.32\.0\(\d{5}\)/, '1-0:32.32.0(000.2)'));
    expect(countWithPoint.length).toBe(b!.length);
    expect(shape.parse(countWithPoint, 0, countWithPoint.indexOf(0x21), 0)).toBeNull();
  });

  it('keeps the meter\'s own import total and adds none of its own, as the line parser does', () => {
    // Same length as the line it replaces: "1-0:32.32.0(00002)" → "1-0:1.8.0(0000002)".
    const withTotal = (t: string) => enc(t.replace(/1-0:32\.32\.0\((\d{5})\)/, '1-0:1.8.0(00$1)'));
    const [a, b] = telegramsOf('5.0', 9, 2).map(withTotal);
    const shape = new DsmrTelegramShape();
    parseDsmrTelegram(a!, 0, a!.indexOf(0x21), 0, undefined, shape);
    const fast = shape.parse(b!, 0, b!.indexOf(0x21), 0);
    expect(fast).toEqual(parseDsmrTelegram(b!, 0, b!.indexOf(0x21), 0));
    expect(fast!.quantities.filter((q) => q.obis === '1.8.0')).toHaveLength(1);
  });

  it('reads real meters\' telegrams the same way twice (dsmr_parser fixtures)', () => {
    for (const name of ['dsmr-v5.txt', 'dsmr-v4_2.txt']) {
      const t = new Uint8Array(readFileSync(new URL(`../../../../fixtures/protocols/${name}`, import.meta.url)));
      const twice: DecodeEvent[] = [];
      new DsmrDecoder((e) => twice.push(e)).push(concat([t, t]), 0);
      const [r1, r2] = twice.map((e) => (e.kind === 'reading' ? e.reading : e));
      expect(r2).toEqual(r1);
    }
  });
});
