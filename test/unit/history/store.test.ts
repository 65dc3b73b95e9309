import { afterEach, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { recomputeRollups, storedRollups } from '../../../main/history/recompute.js';
import { querySeries } from '../../../main/history/series.js';
import { HistoryStore } from '../../../main/history/store.js';
import { queryTotals } from '../../../main/history/totals.js';
import { simulate, tempStore } from '../../fixtures/history/temp-store.js';

const T0 = Date.UTC(2025, 0, 1) - 8 * 3_600_000; // local midnight, Asia/Shanghai
const H = 3_600_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function fresh(options = {}) {
  const t = tempStore(options);
  cleanups.push(t.cleanup);
  return t.store;
}

describe('HistoryStore', () => {
  it('keeps roll-ups equal to a recomputation from raw, whatever the arrival order', () => {
    const samples = simulate({ from: T0, to: T0 + 2 * 86_400_000, stepMs: 10_000 });
    const inOrder = fresh();
    for (let i = 0; i < samples.length; i += 997) inOrder.append(samples.slice(i, i + 997));
    const shuffled = fresh();
    const copy = [...samples];
    let seed = 7;
    for (let i = copy.length - 1; i > 0; i--) {
      seed = (seed * 48271) % 2147483647;
      const j = seed % (i + 1);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    for (let i = 0; i < copy.length; i += 3001) shuffled.append(copy.slice(i, i + 3001));
    const a = storedRollups(inOrder);
    expect(a).toEqual(recomputeRollups(inOrder));
    expect(storedRollups(shuffled)).toEqual(a);
    const dayTotal = queryTotals(inOrder, T0, T0 + 86_400_000, 'day')[0];
    const lastOfDay = samples.filter((s) => s.ts <= T0 + 86_400_000).at(-1)!;
    expect(dayTotal.importWh).toBe(lastOfDay.importWh - samples[0].importWh);
  });

  it('deduplicates by meter and timestamp, keeping the first values', () => {
    const store = fresh();
    const s = simulate({ from: T0, to: T0 + H, stepMs: 60_000 });
    expect(store.append(s).inserted).toBe(60);
    const again = store.append([...s.slice(10, 20), { ...s[5], importWh: s[5].importWh + 999 }]);
    expect(again).toEqual({ inserted: 0, duplicates: 11, late: 0 });
    expect([...store.readings(T0, T0 + H)][5].importWh).toBe(s[5].importWh);
    expect(storedRollups(store)).toEqual(recomputeRollups(store));
  });

  it('never shows a restarted or replaced meter as negative or absurd: a restart and a jump are gaps of unknown energy', () => {
    const store = fresh();
    store.append([
      { meter: 'A', ts: T0, importWh: 5_000_000, exportWh: null, powerW: null },
      { meter: 'A', ts: T0 + 60_000, importWh: 5_000_020, exportWh: null, powerW: null },
      { meter: 'A', ts: T0 + 120_000, importWh: 15, exportWh: null, powerW: null }, // the register restarts
      { meter: 'A', ts: T0 + 180_000, importWh: 9_000_000, exportWh: null, powerW: null }, // impossible jump
      { meter: 'A', ts: T0 + 240_000, importWh: 9_000_010, exportWh: null, powerW: null },
      // A new meter arrives with its own register: its first reading only starts its series.
      { meter: 'B', ts: T0 + 300_000, importWh: 100, exportWh: null, powerW: null },
      { meter: 'B', ts: T0 + 360_000, importWh: 130, exportWh: null, powerW: null },
    ]);
    const minutes = querySeries(store, T0, T0 + 7 * 60_000, 2000, 'minute');
    // The restart and the jump minutes are unknown (null): not zero, not 15 Wh guessed from zero, not 9 MWh.
    expect(minutes.importWh).toEqual([20, null, null, 10, null, 30, null]);
    expect(minutes.coverage.slice(1, 3)).toEqual([0, 0]);
    const kinds = store.db.prepare('SELECT kind FROM discontinuities ORDER BY ts').pluck().all();
    expect(kinds).toEqual(['swap', 'jump']);
    expect(storedRollups(store)).toEqual(recomputeRollups(store));
  });

  it('marks a gap as a gap and still books its energy once, at the reading that ends it', () => {
    const store = fresh();
    const before = simulate({ from: T0, to: T0 + H, stepMs: 10_000 });
    const lastBefore = before.at(-1)!;
    const after = simulate({ from: T0 + 2 * H, to: T0 + 3 * H, stepMs: 10_000, importWh: lastBefore.importWh + 500, exportWh: lastBefore.exportWh ?? 0 });
    store.append([...before, ...after]);
    const s = querySeries(store, T0, T0 + 3 * H, 2000, 'minute');
    expect(s.gaps.length).toBe(1);
    const [gFrom, gTo] = s.gaps[0];
    expect(gFrom).toBe(T0 + 60 * 60_000);
    expect(gTo).toBe(T0 + 2 * H);
    // The minute that ends the gap holds its energy, still flagged uncovered.
    const endIdx = s.t.indexOf(T0 + 2 * H - 60_000);
    expect(s.importWh[endIdx]).toBe(after[0].importWh - lastBefore.importWh);
    expect(s.coverage[endIdx]).toBe(0);
    const idx = s.t.indexOf(T0 + 90 * 60_000);
    expect(s.importWh[idx]).toBeNull();
    const total = queryTotals(store, T0, T0 + 3 * H, 'day')[0];
    expect(total.importWh).toBe(after.at(-1)!.importWh - before[0].importWh);
    expect(total.coverage).toBeLessThan(1000);
    const hour = querySeries(store, T0, T0 + 3 * H, 2000, 'hour');
    expect(hour.coverage[1]).toBe(0); // the hour with no reading
  });

  it('answers every range from an hour to ten years with at most 2,000 points', () => {
    const store = fresh();
    for (const span of [H, 86_400_000, 7 * 86_400_000, 31 * 86_400_000, 366 * 86_400_000, 3653 * 86_400_000]) {
      const s = querySeries(store, T0, T0 + span);
      expect(s.t.length).toBeLessThanOrEqual(2000);
      expect(s.t.length).toBeGreaterThan(5);
    }
  });

  it('follows the local calendar: a DST day has 23 hours', () => {
    const store = fresh({ timeZone: 'Europe/Amsterdam' });
    const dayStart = Date.UTC(2025, 2, 29, 23); // 2025-03-30 00:00 CET
    store.append(simulate({ from: dayStart, to: dayStart + 2 * 86_400_000, stepMs: 60_000 }));
    const days = querySeries(store, dayStart, dayStart + 86_400_000, 2000, 'day');
    expect(days.t[1] - days.t[0]).toBe(23 * H);
    expect(days.coverage[0]).toBe(1000);
    expect(querySeries(store, dayStart, days.t[1], 2000, 'hour').t.length).toBe(23);
  });

  it('refuses readings it cannot store, with a code', () => {
    const store = fresh();
    try {
      store.append([{ meter: 'M', ts: T0, importWh: 1.5, exportWh: null, powerW: null }]);
      expect.unreachable();
    } catch (e) {
      expect(isError(e, 'HISTORY_READING_INVALID')).toBe(true);
    }
  });
});

describe('HistoryStore with a second writer', () => {
  it('notices readings another connection stored and attributes its next pair against them', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const a = t.store;
    const s = simulate({ from: T0, to: T0 + 3 * H, stepMs: 60_000 });
    a.append(s.slice(0, 60));
    const b = new HistoryStore({ file: t.file }); // e.g. `wattlet history import` while the app runs
    b.append(s.slice(60, 120));
    b.dispose();
    a.append(s.slice(120));
    expect(storedRollups(a)).toEqual(recomputeRollups(a));
  });
});
