import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBIS } from '../../../main/meter/reading.js';
import { simulate } from '../../../test/fixtures/history/temp-store.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { OverviewState } from './overview-state.svelte.js';

// The Overview page's state over the app as composeServices builds it, with no meter session
// (meter 'none'): the history's summary, live power from readings, the session's state.
const visible = { hidden: false, onChange: () => () => {} };

describe('OverviewState', () => {
  let app: ComposedApp;
  const now = Date.now();
  beforeAll(async () => {
    app = await composedApp();
    app.services.history.append(simulate({ meter: 'E0025000123456789', from: now - 2 * 86_400_000, to: now - 600_000, stepMs: 300_000 }));
  });
  afterAll(async () => app?.dispose());

  it('shows the history’s summary and says no meter session runs in this mode', async () => {
    const view = new OverviewState(app.api, visible);
    const stop = view.start();
    try {
      await until(() => view.overview.value !== undefined && view.noSession);
      expect(view.overview.value).toMatchObject({ hasData: true, timeZone: 'UTC' });
      expect(view.lastAt).toBe(view.overview.value!.latest!.ts);
      expect(view.powerW).toBe(view.overview.value!.latest!.powerW);
      expect(view.session).toBeNull();
    } finally {
      stop();
    }
  });

  it('reads the summary again a few seconds after readings are stored (history.appended), once for a burst', async () => {
    const view = new OverviewState(app.api, visible);
    const stop = view.start();
    try {
      await until(() => view.overview.value !== undefined);
      const before = app.api.calls.filter((c) => c === 'history.overview').length;
      const latest = view.overview.value!.latest!;
      for (let i = 1; i <= 3; i++) {
        app.services.history.append([{ meter: 'E0025000123456789', ts: latest.ts + i * 60_000, importWh: latest.importWh + i * 10, exportWh: latest.exportWh, powerW: 600 + i }]);
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(app.api.calls.filter((c) => c === 'history.overview').length).toBe(before);
      await until(() => view.overview.value!.latest!.ts === latest.ts + 180_000, 6000);
      expect(app.api.calls.filter((c) => c === 'history.overview').length).toBe(before + 1);
      expect(view.powerW).toBe(603);
    } finally {
      stop();
    }
  }, 15_000);

  it('takes live power from the meter’s readings: import minus export, at the meter’s time', async () => {
    const view = new OverviewState(app.api, visible);
    const stop = view.start();
    try {
      await until(() => view.overview.value !== undefined);
      app.services.bus.emit('meter.reading', {
        meterId: 'E0025000123456789', protocol: 'dsmr', meterTime: now, receivedAt: now + 40, raw: [],
        quantities: [{ obis: OBIS.powerImport, value: 0, unit: 'W' }, { obis: OBIS.powerExport, value: 1450, unit: 'W' }],
      });
      await until(() => view.live !== null);
      expect(view.powerW).toBe(-1450);
      expect(view.lastAt).toBe(now);
    } finally {
      stop();
    }
  });

  it('reads the dashboard beside the summary: 30 days, today by quarter hour, and costs once a tariff is chosen', async () => {
    const view = new OverviewState(app.api, visible);
    const stop = view.start();
    try {
      await until(() => view.dashboard.value !== undefined);
      const d = view.dashboard.value!;
      expect(d.days).toHaveLength(30);
      expect(d.today.t.length).toBeGreaterThanOrEqual(92); // a local day: 92–100 quarter hours
      expect(d.money).toBeNull();
      expect(d.days.reduce((s, x) => s + x.importWh, 0)).toBeGreaterThan(0);
    } finally {
      stop();
    }
    await app.api.invoke('tariff.setActive', { id: 'example-eu-tou-feed-in' });
    const again = new OverviewState(app.api, visible);
    const stop2 = again.start();
    try {
      await until(() => again.dashboard.value !== undefined);
      const d = again.dashboard.value!;
      expect(d.money).toMatchObject({ tariffId: 'example-eu-tou-feed-in', currency: 'EUR' });
      const month = await app.api.invoke('bill.compute', { from: d.month.from, to: d.month.to });
      expect(d.money!.monthSoFar).toBe(month.total);
      expect(d.tier).toBeNull();
    } finally {
      stop2();
    }
  });
});
