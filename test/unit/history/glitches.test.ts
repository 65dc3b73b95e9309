import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { queryMeterEvents } from '../../../main/history/meter-events.js';
import { recomputeMarks, recomputeRollups, storedMarks, storedRollups } from '../../../main/history/recompute.js';
import type { MeterSample } from '../../../main/history/sample.js';
import { querySeries } from '../../../main/history/series.js';
import { HistoryStore } from '../../../main/history/store.js';
import { queryTotals } from '../../../main/history/totals.js';
import { simulate, tempStore } from '../../fixtures/history/temp-store.js';

// Register glitches and meter swaps over a real SQLite store (Asia/Shanghai, so T0 is a local
// midnight). The cases are the issue's: a single reading of 0 between normal readings at 1 kW,
// a spike, a register that restarts.
const T0 = Date.UTC(2025, 0, 1) - 8 * 3_600_000;
const Q = 900_000;
const H = 3_600_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function fresh() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t;
}
const r = (ts: number, importWh: number, exportWh: number | null = null, meter = 'M1'): MeterSample => ({ meter, ts, importWh, exportWh, powerW: null });

/** Quarter-hour register readings at 1 kW (250 Wh a quarter) from 10,000 Wh, with `replace` swapping some values. */
function quarterHours(count: number, replace: Record<number, number> = {}): MeterSample[] {
  return Array.from({ length: count }, (_, i) => r(T0 + i * Q, replace[i] ?? 10_000 + 250 * i));
}

/** Marks by meter name: which id a meter gets depends on which reading arrived first. */
function namedMarks(store: HistoryStore): Array<[string, number, string]> {
  const names = new Map(store.meters().map((m) => [m.id, m.name]));
  return storedMarks(store)
    .map((m): [string, number, string] => [names.get(m.meter)!, m.ts, m.kind])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
}

function sameAsRecomputed(store: HistoryStore): void {
  expect(storedRollups(store)).toEqual(recomputeRollups(store));
  expect(storedMarks(store)).toEqual(recomputeMarks(store));
}

describe('a single outlier reading (a glitch)', () => {
  it("one reading of 0 between quarter-hour readings at 1 kW loses none of the 500 Wh, and the quarter-hours it hides show no coverage", () => {
    const { store } = fresh();
    store.append(quarterHours(5, { 1: 0 })); // 10,000 · 0 · 10,500 · 10,750 · 11,000
    const quarters = querySeries(store, T0, T0 + H, 2000, 'quarter');
    // The two quarter-hours around the glitch hold their 500 Wh together, booked where the pair
    // that spans the glitch ends; how it splits between them is unknown, so neither shows
    // coverage (and the first no value).
    expect(quarters.importWh).toEqual([null, 500, 250, 250]);
    expect(quarters.coverage).toEqual([0, 0, 1000, 1000]);
    const hour = querySeries(store, T0, T0 + H, 2000, 'hour');
    expect(hour.importWh).toEqual([1000]);
    expect(hour.coverage).toEqual([1000]);
    expect(queryTotals(store, T0, T0 + 86_400_000, 'day')[0]!.importWh).toBe(1000);
    expect(storedMarks(store).map((m) => [m.ts, m.kind])).toEqual([[T0 + Q, 'glitch']]);
    expect(queryMeterEvents(store, T0, T0 + H)).toEqual([
      {
        meter: 'M1',
        kind: 'glitch',
        at: T0 + Q,
        before: { ts: T0, importWh: 10_000, exportWh: null },
        reading: { ts: T0 + Q, importWh: 0, exportWh: null },
        unknown: null,
      },
    ]);
    sameAsRecomputed(store);
  });

  it('at the live rate (every 10 s) a single 0 changes no minute: each keeps its energy and its full coverage', () => {
    const clean = simulate({ from: T0, to: T0 + H, stepMs: 10_000 });
    const glitched = clean.map((s, i) => (i === 100 ? { ...s, importWh: 0, exportWh: 0 } : s));
    const a = fresh().store;
    const b = fresh().store;
    a.append(clean);
    b.append(glitched);
    const minutesA = querySeries(a, T0, T0 + H, 2000, 'minute');
    const minutesB = querySeries(b, T0, T0 + H, 2000, 'minute');
    expect(minutesB.importWh).toEqual(minutesA.importWh);
    expect(minutesB.exportWh).toEqual(minutesA.exportWh);
    expect(minutesB.coverage).toEqual(minutesA.coverage);
    expect(storedMarks(b).map((m) => m.kind)).toEqual(['glitch']);
    sameAsRecomputed(b);
  });

  it('an upward spike, and a glitch in the export register alone, are skipped the same way: nothing invented', () => {
    const { store } = fresh();
    store.append([
      r(T0, 10_000, 500),
      r(T0 + Q, 9_999_999, 500), // spike: 10 MWh in 15 minutes
      r(T0 + 2 * Q, 10_500, 500),
      r(T0 + 3 * Q, 10_750, 0), // export register reads 0 once
      r(T0 + 4 * Q, 11_000, 600),
    ]);
    const hour = querySeries(store, T0, T0 + H, 2000, 'hour');
    expect(hour.importWh).toEqual([1000]);
    expect(hour.exportWh).toEqual([100]);
    expect(storedMarks(store).map((m) => [m.ts, m.kind])).toEqual([
      [T0 + Q, 'glitch'],
      [T0 + 3 * Q, 'glitch'],
    ]);
    sameAsRecomputed(store);
  });

  it('a glitch that is the newest reading waits for the next (no pair ends at it), also across a restart of the app', () => {
    const { store, file } = fresh();
    store.append(quarterHours(2)); // 10,000 · 10,250
    store.append([r(T0 + 2 * Q, 0)]); // the newest reading breaks the register: not judged yet
    expect(storedMarks(store).map((m) => m.kind)).toEqual(['pending']);
    expect(querySeries(store, T0, T0 + H, 2000, 'quarter').importWh).toEqual([250, null, null, null]);
    expect(queryMeterEvents(store, T0, T0 + H)).toEqual([]);
    store.dispose();
    const reopened = new HistoryStore({ file });
    cleanups.unshift(() => reopened.dispose());
    reopened.append([r(T0 + 3 * Q, 10_750)]); // continues the earlier sequence: the 0 was a glitch
    expect(querySeries(reopened, T0, T0 + H, 2000, 'quarter').importWh).toEqual([250, null, 500, null]);
    expect(storedMarks(reopened).map((m) => [m.ts, m.kind])).toEqual([[T0 + 2 * Q, 'glitch']]);
    sameAsRecomputed(reopened);
  });
});

describe('a register restart (a meter swap)', () => {
  it('is recorded as an event with the old final reading, the new first reading and the unknown interval; the series goes on from the new register', () => {
    const { store } = fresh();
    store.append([
      r(T0, 5_000_000),
      r(T0 + Q, 5_000_250),
      r(T0 + 2 * Q, 12), // the new meter's first reading
      r(T0 + 3 * Q, 262),
      r(T0 + 4 * Q, 512),
    ]);
    const quarters = querySeries(store, T0, T0 + H, 2000, 'quarter');
    expect(quarters.importWh).toEqual([250, null, 250, 250]);
    // The quarter-hour of the swap is unknown energy: never full coverage.
    expect(quarters.coverage).toEqual([1000, 0, 1000, 1000]);
    expect(querySeries(store, T0, T0 + H, 2000, 'hour').coverage[0]).toBe(750);
    expect(queryMeterEvents(store, T0, T0 + H)).toEqual([
      {
        meter: 'M1',
        kind: 'swap',
        at: T0 + 2 * Q,
        before: { ts: T0 + Q, importWh: 5_000_250, exportWh: null },
        reading: { ts: T0 + 2 * Q, importWh: 12, exportWh: null },
        unknown: { from: T0 + Q, to: T0 + 2 * Q },
      },
    ]);
    sameAsRecomputed(store);
  });

  it('two bad readings in a row are a restart, not two glitches (only single outliers are skipped)', () => {
    const { store } = fresh();
    store.append([r(T0, 5_000_000), r(T0 + Q, 0), r(T0 + 2 * Q, 0), r(T0 + 3 * Q, 5_000_750), r(T0 + 4 * Q, 5_001_000)]);
    expect(storedMarks(store).map((m) => [m.ts, m.kind])).toEqual([
      [T0 + Q, 'swap'],
      [T0 + 3 * Q, 'jump'], // 0 → 5,000,750 Wh in 15 minutes is beyond any household
    ]);
    const quarters = querySeries(store, T0, T0 + H, 2000, 'quarter');
    expect(quarters.importWh).toEqual([null, 0, null, 250]);
    expect(quarters.coverage).toEqual([0, 1000, 0, 1000]);
    sameAsRecomputed(store);
  });
});

describe('arrival order', () => {
  // A day at 10 s with glitches (a 0, a spike, an export 0), a restart and a second meter.
  function messyDay(): MeterSample[] {
    const a = simulate({ from: T0, to: T0 + 12 * H, stepMs: 10_000, meter: 'A' });
    const b = simulate({ from: T0 + 12 * H, to: T0 + 24 * H, stepMs: 10_000, meter: 'A', importWh: 40, exportWh: 3, seed: 9 });
    const c = simulate({ from: T0, to: T0 + 24 * H, stepMs: 60_000, meter: 'B', seed: 3 });
    const out = [...a, ...b, ...c];
    out[500] = { ...out[500]!, importWh: 0 };
    out[1_800] = { ...out[1_800]!, importWh: out[1_800]!.importWh + 50_000_000 };
    out[2_600] = { ...out[2_600]!, exportWh: 0 };
    out[5_000] = { ...out[5_000]!, importWh: 0, exportWh: 0 };
    out[5_001] = { ...out[5_001]!, importWh: 0, exportWh: 0 }; // two in a row: a restart
    return out;
  }

  it('one reading at a time, in batches, shuffled, or in reverse: the same roll-ups and marks as a recomputation from raw', () => {
    const samples = messyDay();
    const batch = fresh().store;
    batch.append(samples);
    const expected = { rollups: storedRollups(batch), marks: namedMarks(batch) };
    // The three single outliers are glitches; the second half-day's new register is a swap, and
    // so are the two zeros in a row, whose return is a jump.
    expect(expected.marks.map((m) => m[2])).toEqual(['glitch', 'glitch', 'glitch', 'swap', 'swap', 'jump']);
    sameAsRecomputed(batch);

    const oneByOne = fresh().store;
    for (const s of samples.slice(0, 3000)) oneByOne.append([s]);
    oneByOne.append(samples.slice(3000));
    expect({ rollups: storedRollups(oneByOne), marks: namedMarks(oneByOne) }).toEqual(expected);

    const shuffled = fresh().store;
    const copy = [...samples];
    let seed = 11;
    for (let i = copy.length - 1; i > 0; i--) {
      seed = (seed * 48271) % 2147483647;
      const j = seed % (i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    for (let i = 0; i < copy.length; i += 777) shuffled.append(copy.slice(i, i + 777));
    sameAsRecomputed(shuffled);
    expect({ rollups: storedRollups(shuffled), marks: namedMarks(shuffled) }).toEqual(expected);

    const reversed = fresh().store;
    const back = [...samples].reverse();
    for (let i = 0; i < back.length; i += 1000) reversed.append(back.slice(i, i + 1000));
    expect({ rollups: storedRollups(reversed), marks: namedMarks(reversed) }).toEqual(expected);
  });

  it('a late reading that arrives between a suspect and its judge changes the verdict as a recomputation would', () => {
    const { store } = fresh();
    // 10,000 · [late 10,250 arrives last] · 0 · 10,750: without the late reading the 0 is a glitch
    // (10,750 continues 10,000); with it, still a glitch, judged against 10,250.
    store.append([r(T0, 10_000), r(T0 + 2 * Q, 0), r(T0 + 3 * Q, 10_750)]);
    expect(storedMarks(store).map((m) => m.kind)).toEqual(['glitch']);
    store.append([r(T0 + Q, 10_250)]);
    expect(querySeries(store, T0, T0 + H, 2000, 'quarter').importWh).toEqual([250, null, 500, null]);
    sameAsRecomputed(store);
    // A late restart: a reading of 5 before the 100 makes the 100 the continuation of a new
    // sequence, and the return to the old one a jump.
    const other = fresh().store;
    other.append([r(T0, 5_000_000), r(T0 + 2 * Q, 100), r(T0 + 3 * Q, 5_000_750)]);
    expect(storedMarks(other).map((m) => m.kind)).toEqual(['glitch']);
    other.append([r(T0 + Q, 5)]);
    expect(storedMarks(other).map((m) => [m.ts, m.kind])).toEqual([
      [T0 + Q, 'swap'],
      [T0 + 3 * Q, 'pending'], // the newest reading breaks from 100: judged by the next
    ]);
    sameAsRecomputed(other);
    other.append([r(T0 + 4 * Q, 5_001_000)]);
    expect(storedMarks(other).map((m) => [m.ts, m.kind])).toEqual([
      [T0 + Q, 'swap'],
      [T0 + 3 * Q, 'jump'],
    ]);
    sameAsRecomputed(other);
  });
});

describe('a database made under the earlier rules', () => {
  it('is rebuilt from its raw readings once when opened: a restart counted from zero becomes a swap of unknown energy', () => {
    const { store, file } = fresh();
    store.append(quarterHours(5, { 1: 0 }));
    // What the earlier rules left: a 'reset' mark and the 0 Wh quarter-hour counted as covered.
    store.db.exec("DELETE FROM discontinuities; DELETE FROM meta WHERE key = 'chainRules'; UPDATE rollups SET covered_ms = covered_ms + 1");
    store.db.prepare("INSERT INTO discontinuities (meter, ts, kind) VALUES (1, ?, 'reset')").run(T0 + Q);
    store.dispose();
    const reopened = new HistoryStore({ file });
    cleanups.unshift(() => reopened.dispose());
    sameAsRecomputed(reopened);
    expect(storedMarks(reopened).map((m) => m.kind)).toEqual(['glitch']);
    expect(reopened.db.prepare("SELECT value FROM meta WHERE key = 'chainRules'").pluck().get()).toBe('2');
    expect(fs.existsSync(file)).toBe(true);
  });
});
