import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../test/fixtures/history/temp-store.js';
import { composedApp, type ComposedApp } from '../../../test/support/renderer-api.js';
import { BillsState } from './bills-state.svelte.js';

// The Bills page's state over the app as composeServices builds it: the history's real SQLite
// store holding six weeks of a household's readings, the built-in tariffs from resources/tariffs.
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('BillsState', () => {
  let app: ComposedApp;
  beforeAll(async () => {
    app = await composedApp();
    app.services.history.append(simulate({ meter: 'E0025000123456789', from: utc(2025, 4, 28), to: utc(2025, 6, 10), stepMs: 900_000 }));
  });
  afterAll(async () => app?.dispose());

  it('starts on the last complete month before the newest reading, in the household zone, and computes its bill', async () => {
    const bills = new BillsState(app.api, () => utc(2030, 1, 1));
    const starting = bills.init();
    expect(bills.activity.working).toBe(true);
    await starting;
    expect(bills.activity.working).toBe(false);
    expect(bills.activity.error).toBeNull();
    expect(bills.timeZone).toBe('UTC');
    expect(bills.month).toBe('2025-05');
    expect(bills.tariffs.length).toBeGreaterThanOrEqual(5);
    expect(bills.tariffId).toBe(bills.activeId ?? bills.tariffs[0]!.id);
    expect(bills.bill).toMatchObject({ from: utc(2025, 5, 1), to: utc(2025, 6, 1), tariffId: bills.tariffId });
    expect(bills.bill!.lines.length).toBeGreaterThan(0);
  });

  it('computes a custom period between two dates, and says when a tariff does not exist', async () => {
    const bills = new BillsState(app.api);
    await bills.init();
    bills.custom = true;
    bills.fromDate = '2025-05-10';
    bills.toDate = '2025-05-20';
    expect(await bills.compute()).toBe(true);
    expect(bills.bill).toMatchObject({ from: utc(2025, 5, 10), to: utc(2025, 5, 20) });
    bills.tariffId = 'no-such-tariff';
    expect(await bills.compute()).toBe(false);
    expect(bills.activity.error).toMatchObject({ code: 'TARIFF_NOT_FOUND' });
  });

  it('compares with a utility bill that asked 3.00 more, and makes the tariff the default', async () => {
    const bills = new BillsState(app.api);
    await bills.init();
    const ours = bills.bill!;
    expect(await bills.compare({ lines: [], total: ours.total + 300 })).toBe(true);
    expect(bills.comparison).toMatchObject({ status: 'differs', totalDiff: 300 });
    const other = bills.tariffs.find((t) => t.id !== bills.activeId)!.id;
    bills.tariffId = other;
    expect(await bills.makeDefault()).toBe(true);
    expect(bills.activeId).toBe(other);
    await bills.reloadTariffs();
    expect(bills.activeId).toBe(other);
  });
});
