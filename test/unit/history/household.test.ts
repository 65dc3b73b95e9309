import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { householdOf } from '../../../main/history/household.js';
import { HistoryService } from '../../../main/history/service.js';

// The household the wallet shows offers for comes from what the app already knows: the history's
// calendar zone and the active tariff's currency (a real SQLite history and the built-in tariffs).
let dir: string;
let history: HistoryService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-household-'));
  history = new HistoryService({ dataDir: dir, timeZone: 'Asia/Shanghai', builtinTariffDir: join('resources', 'tariffs') });
});
afterEach(() => {
  history.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the household of the wallet', () => {
  it('has the history’s time zone, and no currency until a tariff is chosen', () => {
    expect(householdOf(history)).toEqual({ timeZone: 'Asia/Shanghai', currency: null });
  });

  it('takes the active tariff’s currency, and follows a change of tariff', () => {
    history.setActiveTariff('cn-zhejiang-ladder-flat');
    expect(householdOf(history)).toEqual({ timeZone: 'Asia/Shanghai', currency: 'CNY' });
    history.setActiveTariff('example-eu-tou-feed-in');
    expect(householdOf(history).currency).toBe('EUR');
  });
});
