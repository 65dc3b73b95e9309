import { describe, expect, it } from 'vitest';
import { parseDsmrTimestamp } from '../../../../../main/meter/protocols/dsmr/dsmr-values.js';
import { centralEuropeanToUtc } from '../../../../../main/meter/protocols/meter-time.js';

/**
 * DSMR timestamps against the time-zone database (ICU's Europe/Amsterdam), for meters read in
 * turn: each timestamp in another year and day, so the parser's day and summer-time caches are
 * exercised with every slot evicted and refilled.
 */
const amsterdam = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const wallOf = (ms: number) => amsterdam.format(new Date(ms)); // "dd/mm/yyyy, hh:mm:ss"
const wallText = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  `${String(d).padStart(2, '0')}/${String(mo).padStart(2, '0')}/${y}, ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`;

/** The instant a wall time names: CET (+1) where that is one; else CEST (+2), as the spring gap is read. */
function oracle(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const want = wallText(y, mo, d, h, mi, s);
  if (wallOf(asUtc - 3_600_000) === want) return asUtc - 3_600_000;
  if (wallOf(asUtc - 7_200_000) === want) return asUtc - 7_200_000;
  return asUtc - 7_200_000; // 02:00–03:00 on the last Sunday of March does not exist
}

const bytes = (t: string) => new TextEncoder().encode(t);
const two = (n: number) => String(n).padStart(2, '0');

describe('DSMR timestamps of meters read in turn', () => {
  it('flagless DSMR 2.2/3 times follow the EU rule in every year, the switch days included', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const cases: [number, number, number, number, number, number][] = [];
    for (let k = 0; k < 3000; k++) {
      const y = 2000 + rnd(100);
      const mo = 1 + rnd(12);
      cases.push([y, mo, 1 + rnd(28), rnd(24), rnd(60), rnd(60)]);
    }
    // The switch days and hours themselves (last Sundays of March and October), in many years.
    for (let y = 2000; y < 2100; y += 3) {
      for (const mo of [3, 10]) {
        const last = new Date(Date.UTC(y, mo, 0));
        const d = last.getUTCDate() - last.getUTCDay();
        for (const h of [0, 1, 2, 3, 4]) for (const mi of [0, 30, 59]) cases.push([y, mo, d, h, mi, 0]);
      }
    }
    for (const [y, mo, d, h, mi, s] of cases) {
      const t = `${two(y - 2000)}${two(mo)}${two(d)}${two(h)}${two(mi)}${two(s)}`;
      const got = parseDsmrTimestamp(bytes(t), 0, 12);
      expect(got, t).toBe(oracle(y, mo, d, h, mi, s));
      expect(got, t).toBe(centralEuropeanToUtc(y, mo, d, h, mi, s, null));
    }
  });

  it("flagged DSMR 4/5 times are the wall time less one hour ('W') or two ('S'), whatever day came before", () => {
    for (let k = 0; k < 2000; k++) {
      const y = 2000 + ((k * 37) % 100);
      const mo = 1 + ((k * 5) % 12);
      const d = 1 + ((k * 11) % 28);
      const t = `${two(y - 2000)}${two(mo)}${two(d)}${two(k % 24)}${two(k % 60)}${two((k * 7) % 60)}`;
      const wall = Date.UTC(y, mo - 1, d, k % 24, k % 60, (k * 7) % 60);
      expect(parseDsmrTimestamp(bytes(`${t}S`), 0, 13), t).toBe(wall - 7_200_000);
      expect(parseDsmrTimestamp(bytes(`${t}W`), 0, 13), t).toBe(wall - 3_600_000);
    }
  });

  it('refuses malformed times', () => {
    for (const t of ['2606011000', '260631100000X', '261301100000', '260601240000', '2606011060000', 'ab0601100000']) {
      expect(parseDsmrTimestamp(bytes(t), 0, t.length), t).toBeNaN();
    }
  });
});
