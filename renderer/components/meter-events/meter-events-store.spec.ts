import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { MeterEventsStore } from './meter-events-store.svelte.js';

// The History page's meter events over the app as composeServices builds it (real SQLite
// history), through the contract's client: a swap and a glitch appear, and readings appended
// later are picked up.
describe('MeterEventsStore', () => {
  let app: ComposedApp;
  beforeAll(async () => {
    app = await composedApp({ settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' } });
  }, 60_000);
  afterAll(async () => app?.dispose());

  it('lists the swaps and glitches of the range and reads again when readings arrive', async () => {
    const t0 = Date.UTC(2025, 5, 1);
    const Q = 900_000;
    const at = (i: number, importWh: number) => ({ meter: 'M', ts: t0 + i * Q, importWh, exportWh: null, powerW: null });
    app.services.history.append([at(0, 10_000), at(1, 10_250), at(2, 12), at(3, 262)]);
    const store = new MeterEventsStore(app.api);
    const stop = store.start();
    try {
      await store.load(t0, t0 + 86_400_000);
      expect(store.events.map((e) => [e.kind, e.before?.importWh, e.reading.importWh, e.unknown])).toEqual([['swap', 10_250, 12, { from: t0 + Q, to: t0 + 2 * Q }]]);
      app.services.history.append([at(4, 0), at(5, 762)]); // a glitch, judged by the next reading
      await until(() => store.events.length === 2);
      expect(store.events[1]).toMatchObject({ kind: 'glitch', at: t0 + 4 * Q, unknown: null });
      await store.load(t0 + 5 * Q, t0 + 86_400_000);
      expect(store.events).toEqual([]);
      expect(store.activity.error).toBeNull();
    } finally {
      stop();
    }
  });
});
