import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHistoryService } from '../../main/history/service.js';
import { HistoryStore } from '../../main/history/store.js';
import type { MeterSample } from '../../main/history/sample.js';
import { simulate } from '../fixtures/history/temp-store.js';
import { axeViolations, blocking } from './support/axe.js';
import { startHost, type RunningHost } from './support/host-process.js';
import { expect, test } from './support/fixtures.js';

// The Overview as a household on Zhejiang's ladder tariff sees it (issue 17): today's curve, the
// last 30 days as bars with their cost, this month's cost so far and its forecast, and the band
// of the annual ladder with the kWh left before the next — at 1280×800 and at 800×600.
const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
let dataDir = '';
let samples: MeterSample[] = [];
let host: RunningHost;
let seededAt = 0;

/** Local (UTC+8, no DST) midnight of a date. */
const cnMidnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * HOUR;

test.use({ timezoneId: 'UTC' }); // the screen's zone is not the household's

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-e2e-overview-'));
  seededAt = Date.now();
  const local = new Date(seededAt + 8 * HOUR);
  // From 1 January (the ladder's year) up to now, a reading every five minutes.
  const from = cnMidnight(local.getUTCFullYear(), 1, 1);
  samples = simulate({ meter: 'overview-meter', from, to: seededAt, stepMs: 300_000, seed: 17 });
  const service = createHistoryService({ dataDir, timeZone: TZ, builtinTariffDir: path.resolve('resources/tariffs'), synchronous: 'normal' });
  try {
    for (let i = 0; i < samples.length; i += 50_000) service.append(samples.slice(i, i + 50_000));
    service.setActiveTariff('cn-zhejiang-ladder-tou');
  } finally {
    service.dispose();
  }
  host = await startHost({ dataDir, args: ['--meter', 'none', '--demo-days', '0'] });
});

test.afterAll(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function storeImport(from: number, to: number): number {
  const store = new HistoryStore({ file: path.join(dataDir, 'history.sqlite') });
  try {
    return (store.db.prepare('SELECT COALESCE(SUM(import_wh), 0) FROM rollups WHERE level = 2 AND start >= ? AND start < ?').pluck().get(from, to) as number) ?? 0;
  } finally {
    store.dispose();
  }
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
]) {
  test(`Overview at ${size.width}×${size.height}: today's curve, 30 days of bars with cost, the month's forecast, the ladder's band`, async ({ page }) => {
    await page.setViewportSize(size);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.launchUrl);
    await expect(page.locator('main')).toHaveAttribute('data-page', 'overview');

    // Today's curve: every quarter hour of the household's day, its energy as the store has it.
    const local = new Date(Date.now() + 8 * HOUR);
    const todayStart = cnMidnight(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
    const curve = page.getByTestId('overview-curve');
    await expect(curve).toBeVisible();
    await expect(curve).toHaveAttribute('data-quarters', '96');
    await expect(curve).toHaveAttribute('data-import-wh', String(storeImport(todayStart, todayStart + 24 * HOUR)));
    await expect(curve.locator('canvas')).toBeVisible();
    await curve.scrollIntoViewIfNeeded();
    const box = (await curve.locator('.u-over').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);

    // The last 30 days as bars; the table behind them names each day's cost.
    const days = page.getByTestId('overview-days');
    await expect(days).toHaveAttribute('data-days', '30');
    await expect(days.locator('canvas')).toBeVisible();
    await days.getByTestId('days-table-toggle').click();
    const rows = page.getByTestId('days-table').locator('tbody tr');
    await expect(rows).toHaveCount(30);
    const yesterday = rows.nth(28);
    const start = Number(await yesterday.getAttribute('data-start'));
    expect(start).toBe(todayStart - 24 * HOUR);
    expect(Number(await yesterday.getAttribute('data-import-wh'))).toBe(storeImport(start, start + 24 * HOUR));
    const dayCost = await page.evaluate(([from, to]) => window.wattlet!.invoke('bill.compute', { from, to }), [start, start + 24 * HOUR] as const);
    await expect(yesterday).toHaveAttribute('data-cost', String(dayCost.total));
    await expect(yesterday.locator('td').nth(2)).toContainText('¥');

    // This month so far is the Bills page's "so far" for this month, to the fen; the forecast says its basis.
    const monthStart = cnMidnight(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
    const monthEnd = cnMidnight(local.getUTCFullYear(), local.getUTCMonth() + 2, 1);
    const bill = await page.evaluate(([from, to]) => window.wattlet!.invoke('bill.compute', { from, to }), [monthStart, monthEnd] as const);
    const cost = page.getByTestId('overview-cost');
    await expect(cost.locator('.value')).toHaveText(new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(bill.total / 100));
    const forecast = page.getByTestId('overview-forecast');
    await expect(forecast).toBeVisible();
    const basis = forecast.getByTestId('forecast-basis');
    await expect(basis).toContainText('7-day average');
    await expect(basis).toHaveAttribute('data-days', '7');
    const total = Number(await forecast.getByTestId('forecast-total').getAttribute('data-total'));
    expect(total).toBeGreaterThan(bill.total);

    // The annual ladder: the year's import so far decides the band; the bar says how far into it.
    const used = storeImport(cnMidnight(local.getUTCFullYear(), 1, 1), Date.now() + 1);
    const band = used < 2_760_000 ? 1 : used < 4_800_000 ? 2 : 3;
    const tier = page.getByTestId('overview-tier');
    await expect(tier).toHaveAttribute('data-tier', String(band));
    await expect(tier).toHaveAttribute('data-used-wh', String(used));
    if (band < 3) {
      const bounds = [0, 2_760_000, 4_800_000];
      const bar = tier.getByRole('progressbar');
      await expect(bar).toHaveAttribute('aria-valuenow', String(Math.round((used - bounds[band - 1]!) / 1000)));
      await expect(bar).toHaveAttribute('aria-valuemax', String((bounds[band]! - bounds[band - 1]!) / 1000));
      await expect(tier.getByTestId('tier-left')).toContainText(`before band ${band + 1}`);
      await expect(tier).toHaveAttribute('data-left-wh', String(bounds[band]! - used));
    }

    // Nothing on the page scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: test.info().outputPath(`overview-${size.width}x${size.height}.png`), fullPage: true });
    expect(errors).toEqual([]);
  });
}

test('Overview with its tables open: nothing axe calls moderate or worse, in either theme', async ({ page }) => {
  await page.goto(host.launchUrl);
  await expect(page.getByTestId('overview-tier')).toBeVisible();
  await page.getByTestId('curve-table-toggle').click();
  await page.getByTestId('days-table-toggle').click();
  await expect(page.getByTestId('days-table')).toBeVisible();
  for (const theme of ['dark', 'light'] as const) {
    await page.getByTestId('theme').selectOption(theme);
    expect(blocking(await axeViolations(page)), theme).toEqual([]);
  }
});

test('Overview in Chinese: the ladder in its words, money in yuan', async ({ page }) => {
  await page.goto(host.launchUrl);
  await page.getByTestId('language').selectOption('zh-CN');
  try {
    await expect(page.getByTestId('overview-tier').locator('h2')).toContainText('阶梯电价');
    await expect(page.getByTestId('overview-forecast')).toContainText('月底预测');
    await expect(page.getByTestId('overview-curve').locator('h2')).toContainText('今日');
    await expect(page.getByTestId('overview-cost').locator('.value')).toContainText('¥');
  } finally {
    await page.getByTestId('language').selectOption('en');
  }
});
