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
import type { Page } from '@playwright/test';

// Export and import in the window (issue 17): the History page exports the range the chart
// shows as a download (the browser host), and another household's window imports that file —
// previewed through the recognised mapping, sent in slices with a progress bar, stoppable.
const HOUR = 3_600_000;
const cnMidnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * HOUR;
let source: { dir: string; host: RunningHost };
let samples: MeterSample[] = [];

test.use({ timezoneId: 'UTC' });

async function household(seed: MeterSample[]): Promise<{ dir: string; host: RunningHost }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-e2e-csv-'));
  const service = createHistoryService({ dataDir: dir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs'), synchronous: 'normal' });
  try {
    if (seed.length) service.append(seed);
    service.setActiveTariff('cn-zhejiang-ladder-tou');
  } finally {
    service.dispose();
  }
  return { dir, host: await startHost({ dataDir: dir, args: ['--meter', 'none', '--demo-days', '0'] }) };
}

test.beforeAll(async () => {
  // Two months of one-minute readings: the last month is a 2.6 MB export.
  samples = simulate({ meter: 'csv-meter', from: cnMidnight(2025, 5, 1), to: cnMidnight(2025, 7, 1) + 60_000, stepMs: 60_000, seed: 11 });
  source = await household(samples);
});

test.afterAll(async () => {
  await source?.host.stop();
  if (source) fs.rmSync(source.dir, { recursive: true, force: true });
});

/** A page by the menu, as a person reaches it: from the sidebar, or through the menu button in a small window. */
async function open(page: Page, id: string): Promise<void> {
  const menu = page.getByTestId('menu-button');
  if (await menu.isVisible()) await menu.click();
  await page.locator(`nav a[data-page="${id}"]`).click();
  await expect(page.locator('main')).toHaveAttribute('data-page', id);
}

function readings(dir: string, from: number, to: number): MeterSample[] {
  const store = new HistoryStore({ file: path.join(dir, 'history.sqlite') });
  try {
    return [...store.readings(from, to)];
  } finally {
    store.dispose();
  }
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
]) {
  test(`at ${size.width}×${size.height}, History exports the month on the chart as a CSV download, and another window imports it with progress`, async ({ page }) => {
    await page.setViewportSize(size);
    const target = await household([]);
    try {
      await page.goto(source.host.launchUrl);
      await open(page, 'history');
      // A year is drawn per day, as bars; the totals carry their cost.
      await page.getByTestId('preset-year').click();
      await expect(page.getByTestId('history-chart')).toHaveAttribute('data-level', 'day');
      await expect(page.getByTestId('history-chart')).toHaveAttribute('data-bars', 'true');
      const costCell = page.getByTestId('history-totals').locator('tbody tr').first().locator('td[data-cost]');
      await expect(costCell).toContainText('CN¥');
      // Only the two months with readings are listed, not the empty ones before them.
      await expect(page.getByTestId('history-totals').locator('tbody tr')).toHaveCount(2);
      await expect(page.getByTestId('totals-hidden')).toBeVisible();

      await page.getByTestId('preset-month').click();
      const status = page.getByTestId('history-status');
      await expect(status).toHaveAttribute('data-loading', 'false');
      const from = Number(await status.getAttribute('data-view-from'));
      const to = Number(await status.getAttribute('data-view-to'));
      expect(to - from).toBe(31 * 24 * HOUR);

      const downloading = page.waitForEvent('download');
      await page.getByTestId('export-csv').click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^wattlet-readings-2025-\d\d-\d\d_2025-\d\d-\d\d\.csv$/);
      const file = test.info().outputPath(download.suggestedFilename());
      await download.saveAs(file);
      const text = fs.readFileSync(file, 'utf8');
      const expected = samples.filter((s) => s.ts >= from && s.ts < to);
      expect(text.trim().split('\n')).toHaveLength(expected.length + 1);
      expect(fs.statSync(file).size).toBeGreaterThan(2_000_000);
      await expect(page.getByTestId('export-done')).toHaveAttribute('data-rows', String(expected.length));

      // The other household's window: preview, then import with a progress bar that reaches 100 %.
      await page.goto(target.host.launchUrl);
      await open(page, 'history');
      await page.getByTestId('import-file').setInputFiles(file);
      await expect(page.getByTestId('import-source')).toHaveAttribute('data-source', 'wattlet-readings');
      const preview = page.getByTestId('import-preview').locator('tbody tr');
      await expect(preview).toHaveCount(10);
      await expect(preview.first()).toHaveAttribute('data-ts', String(expected[0]!.ts));
      await expect(preview.first()).toHaveAttribute('data-problem', '');

      // Watch the bar: it must move through values between 0 and 100 while the file goes in.
      await page.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { progressSeen: number[] }).progressSeen = seen;
        new MutationObserver(() => {
          const bar = document.querySelector('[data-testid="import-progress"]');
          const v = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
          if (!Number.isNaN(v) && seen.at(-1) !== v) seen.push(v);
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
      });
      await page.getByTestId('import-run').click();
      const report = page.getByTestId('import-report');
      await expect(report).toHaveAttribute('data-inserted', String(expected.length), { timeout: 60_000 });
      await expect(report).toHaveAttribute('data-cancelled', 'false');
      await expect(report).toContainText(`${expected.length.toLocaleString('en')} records: ${expected.length.toLocaleString('en')} readings stored`);
      const bar = page.getByTestId('import-progress');
      await expect(bar).toHaveAttribute('aria-valuenow', '100');
      const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
      expect(seen.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(3);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen); // only forward

      expect(readings(target.dir, 0, 2 ** 42)).toEqual(expected);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    } finally {
      await target.host.stop();
      fs.rmSync(target.dir, { recursive: true, force: true });
    }
  });
}

test('an import can be stopped: what was read stays, and importing again adds the rest', async ({ page }) => {
  const file = test.info().outputPath('two-months.csv');
  const all = await (async () => {
    await page.goto(source.host.launchUrl);
    return page.evaluate(() => window.wattlet!.invoke('history.exportCsv', { from: 0, to: 2 ** 41, kind: 'readings' }));
  })();
  fs.writeFileSync(file, all.csv);
  const fresh = await household([]);
  try {
    await page.goto(fresh.host.launchUrl);
    await page.locator('nav a[data-page="history"]').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await expect(page.getByTestId('import-source')).toHaveAttribute('data-source', 'wattlet-readings');
    await page.getByTestId('import-run').click();
    const bar = page.getByTestId('import-progress');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(5);
    await page.getByTestId('import-cancel').click();
    const report = page.getByTestId('import-report');
    await expect(report).toHaveAttribute('data-cancelled', 'true');
    const kept = Number(await report.getAttribute('data-inserted'));
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(samples.length);
    await expect(report).toContainText('Stopped.');
    expect(readings(fresh.dir, 0, 2 ** 42)).toEqual(samples.slice(0, kept));

    await page.getByTestId('import-run').click();
    await expect(report).toHaveAttribute('data-cancelled', 'false', { timeout: 60_000 });
    await expect(report).toHaveAttribute('data-inserted', String(samples.length - kept));
    await expect(report).toContainText(`${kept.toLocaleString('en')} already stored`);
    expect(readings(fresh.dir, 0, 2 ** 42)).toEqual(samples);
  } finally {
    await fresh.host.stop();
    fs.rmSync(fresh.dir, { recursive: true, force: true });
  }
});

test('another tool’s file: the guessed mapping is shown, a wrong column is named, and the fixed mapping imports it', async ({ page }) => {
  const file = test.info().outputPath('portal.csv');
  fs.writeFileSync(file, 'Zeitpunkt;Zählerstand kWh;Einspeisung kWh\n2025-03-01 00:00;100,0;1,0\n2025-03-01 00:15;100,25;1,0\n2025-03-01 00:30;100,5;1,125\n');
  const fresh = await household([]);
  try {
    await page.goto(fresh.host.launchUrl);
    await page.locator('nav a[data-page="history"]').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await expect(page.getByTestId('import-source')).toHaveAttribute('data-source', 'guessed');
    await expect(page.getByTestId('map-delimiter')).toHaveValue(';');
    await expect(page.getByTestId('map-decimal')).toHaveValue(',');
    await expect(page.getByTestId('map-import')).toHaveValue('Zählerstand kWh');
    await expect(page.getByTestId('map-import-unit')).toHaveValue('kWh');
    const rows = page.getByTestId('import-preview').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText('100.25 kWh');
    // The decimal mark set wrong: each value is named as not a number.
    await page.getByTestId('map-decimal').selectOption('.');
    await expect(rows.first()).toHaveAttribute('data-problem', 'number');
    await expect(rows.first()).toContainText('“100,0” is not a number.');
    await page.getByTestId('map-decimal').selectOption(',');
    await expect(rows.first()).toHaveAttribute('data-problem', '');
    await page.getByTestId('map-meter-name').fill('old-meter');
    await expect(rows.first()).toContainText('old-meter');
    await page.getByTestId('import-run').click();
    await expect(page.getByTestId('import-report')).toHaveAttribute('data-inserted', '3');
    // The mapping, its preview, the bar and the report: nothing axe calls moderate or worse.
    for (const theme of ['dark', 'light'] as const) {
      await page.getByTestId('theme').selectOption(theme);
      expect(blocking(await axeViolations(page)), `import, ${theme}`).toEqual([]);
    }
    expect(readings(fresh.dir, 0, 2 ** 42).map((s) => [s.meter, s.ts, s.importWh, s.exportWh])).toEqual([
      ['old-meter', cnMidnight(2025, 3, 1), 100_000, 1_000],
      ['old-meter', cnMidnight(2025, 3, 1) + 900_000, 100_250, 1_000],
      ['old-meter', cnMidnight(2025, 3, 1) + 1_800_000, 100_500, 1_125],
    ]);
  } finally {
    await fresh.host.stop();
    fs.rmSync(fresh.dir, { recursive: true, force: true });
  }
});
