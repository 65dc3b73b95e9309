import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../test/fixtures/history/temp-store.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { ChartState } from './chart-state.svelte.js';

// The History page's view over the app as composeServices builds it (real SQLite roll-ups).
const DAY = 86_400_000;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('ChartState', () => {
  let app: ComposedApp;
  const samples = simulate({ meter: 'E0025000123456789', from: utc(2025, 3, 1), to: utc(2025, 6, 1), stepMs: 900_000 });
  beforeAll(async () => {
    app = await composedApp();
    app.services.history.append(samples);
  });
  afterAll(async () => app?.dispose());

  it('opens on the year up to the newest reading, with the series and the monthly totals of that range', async () => {
    const view = new ChartState(app.api, () => utc(2030, 1, 1));
    await view.init();
    const newest = samples.at(-1)!.ts;
    expect(view.anchor).toBe(newest);
    expect(view.timeZone).toBe('UTC');
    expect(view.to - view.from).toBe(365 * DAY);
    expect(view.effectivePeriod).toBe('month');
    await until(() => view.series !== null && !view.loading);
    expect(view.series!.t.length).toBeGreaterThan(0);
    expect(view.totals.map((t) => t.start)).toContain(utc(2025, 4, 1));
    view.dispose();
  });

  it('follows a zoom at once and fetches the finer roll-up after it; the period follows the span', async () => {
    const view = new ChartState(app.api);
    await view.init();
    await until(() => view.series !== null && !view.loading);
    view.setRange(utc(2025, 5, 1), utc(2025, 5, 8));
    expect(view.to - view.from).toBe(7 * DAY); // the range moves before any answer
    expect(view.effectivePeriod).toBe('day');
    await until(() => view.series?.level !== 'day' && !view.loading && view.totals.length === 7);
    expect(view.totals[0]!.start).toBe(utc(2025, 5, 1));
    view.setPeriod('week');
    expect(view.effectivePeriod).toBe('week');
    view.dispose();
  });

  it('keeps only the answer to the newest range when ranges change faster than answers come', async () => {
    const view = new ChartState(app.api);
    await view.init();
    for (let i = 0; i < 5; i++) {
      view.setRange(utc(2025, 5, 1 + i), utc(2025, 5, 2 + i), true);
      void view.load();
    }
    await until(() => !view.loading && view.totals.length === 1 && view.totals[0]!.start === utc(2025, 5, 5));
    expect(view.error).toBeNull();
    view.dispose();
  });

  it('"Ten years" of a history three months old starts at its first reading, and its year totals have no empty years', async () => {
    const view = new ChartState(app.api);
    await view.init();
    expect(view.first).toBe(samples[0]!.ts);
    view.preset('all');
    expect(view.from).toBeLessThanOrEqual(samples[0]!.ts);
    expect(view.to - view.from).toBeLessThan(100 * DAY);
    view.setRange(view.anchor - 3653 * DAY, view.anchor, true);
    view.setPeriod('year');
    await until(() => !view.loading && view.totals.length >= 10);
    const { rows, hidden } = view.visibleTotals;
    expect(rows.map((r) => r.start)).toEqual([utc(2025, 1, 1)]);
    expect(hidden).toBe(view.totals.length - 1);
    expect(rows[0]!.importWh).toBe(samples.at(-1)!.importWh - samples[0]!.importWh);
    view.dispose();
  });
});
