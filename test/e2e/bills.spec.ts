import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHistoryService } from '../../main/history/service.js';
import { simulate } from '../fixtures/history/temp-store.js';
import { axeViolations, blocking } from './support/axe.js';
import { startHost, type RunningHost } from './support/host-process.js';
import { expect, test } from './support/fixtures.js';
import type { Page } from '@playwright/test';

// The Bills page as issue 17 found it and as it should be: the comparison's headline names the
// line where the difference is, every quantity has its unit, line names are translated, and the
// tariff is edited as a form in the household's currency (its JSON behind "advanced").
const HOUR = 3_600_000;
const cnMidnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * HOUR;
let dataDir = '';
let host: RunningHost;

test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-e2e-bills-'));
  const service = createHistoryService({ dataDir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs'), synchronous: 'normal' });
  try {
    service.append(simulate({ meter: 'bills-meter', from: cnMidnight(2025, 1, 1), to: cnMidnight(2025, 4, 1) + 300_000, stepMs: 300_000, seed: 3 }));
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

async function billOf(page: Page, tariff: string, month: string) {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="bills"]').click();
  await page.getByTestId('bill-tariff').selectOption(tariff);
  await page.getByTestId('bill-month').fill(month);
  await page.getByTestId('bill-compute').click();
  await expect(page.getByTestId('bill-lines')).toBeVisible();
  return page.evaluate(([from, to, tariffId]) => window.wattlet!.invoke('bill.compute', { from, to, tariffId }), [cnMidnight(2025, 2, 1), cnMidnight(2025, 3, 1), tariff] as const);
}

test('the headline names "Energy, peak" when the whole difference is there and only it and the total were typed', async ({ page }) => {
  const bill = await billOf(page, 'cn-zhejiang-ladder-tou', '2025-02');
  const peak = bill.lines.find((l) => l.key === 'energy:peak:1')!;
  const valley = bill.lines.find((l) => l.key === 'energy:valley:1')!;
  expect(valley.amount).toBeGreaterThan(0);
  await page.getByTestId('theirs-amount-energy:peak:1').fill(((peak.amount + 300) / 100).toFixed(2));
  await page.getByTestId('theirs-total').fill(((bill.total + 300) / 100).toFixed(2));
  await page.getByTestId('compare-run').click();
  const result = page.getByTestId('compare-result');
  await expect(result).toHaveAttribute('data-status', 'differs');
  await expect(result).toHaveAttribute('data-total-diff', '300');
  await expect(result.getByTestId('compare-largest')).toHaveAttribute('data-key', 'energy:peak:1');
  await expect(result.getByTestId('compare-largest')).toHaveText('Most of the difference is in: Energy, peak, band 1.');
  await expect(result.locator('tr[data-key="energy:valley:1"]')).toHaveAttribute('data-status', 'unchecked');
  await expect(result.locator('tr[data-key="energy:valley:1"]')).toContainText('Not typed in');
  for (const theme of ['dark', 'light'] as const) {
    await page.getByTestId('theme').selectOption(theme);
    expect(blocking(await axeViolations(page)), `the comparison, ${theme}`).toEqual([]);
  }
});

test('every quantity has its unit; the tax’s base is not in the Quantity column; charge names are translated', async ({ page }) => {
  const bill = await billOf(page, 'example-eu-tou-feed-in', '2025-02');
  const lines = page.getByTestId('bill-lines');
  const standing = lines.locator('tr[data-key="standing:service"]');
  const days = bill.lines.find((l) => l.key === 'standing:service')!.quantity;
  expect(days).toBe(28);
  await expect(standing.locator('[data-column="quantity"]')).toHaveText('28 days');
  await expect(standing.locator('[data-column="unit-price"]')).toHaveText('€0.5335/day');
  await expect(standing.locator('th')).toHaveText('Standing charge (service)');
  const vat = lines.locator('tr[data-key="tax:vat"]');
  await expect(vat.locator('[data-column="quantity"]')).toHaveText('5 %');
  const base = bill.lines.find((l) => l.key === 'tax:vat')!.quantity!;
  await expect(vat.locator('[data-column="unit-price"]')).toHaveText(`of ${new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(base / 100)}`);
  await expect(vat.locator('th')).toHaveText('Tax (VAT)');
  for (const row of await lines.locator('tbody tr').all()) {
    const key = await row.getAttribute('data-key');
    if (key!.startsWith('energy') || key!.startsWith('export')) await expect(row.locator('[data-column="quantity"]')).toContainText('kWh');
  }

  await page.getByTestId('language').selectOption('zh-CN');
  try {
    await expect(standing.locator('th')).toHaveText('固定费用（服务费）');
    await expect(vat.locator('th')).toHaveText('税（增值税）');
    await expect(standing.locator('[data-column="quantity"]')).toHaveText('28 天');
    await expect(lines.locator('tr[data-key="energy:peak:0"] th')).toHaveText('电费，峰');
  } finally {
    await page.getByTestId('language').selectOption('en');
  }
});

test('a month still running is billed so far, and says what its remaining days add', async ({ page }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="bills"]').click();
  await page.getByTestId('bill-tariff').selectOption('example-eu-tou-feed-in');
  const local = new Date(Date.now() + 8 * HOUR);
  const month = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  await page.getByTestId('bill-month').fill(month);
  await page.getByTestId('bill-compute').click();
  const note = page.getByTestId('bill-so-far');
  await expect(note).toBeVisible();
  const rest = Number(await note.getAttribute('data-rest-standing'));
  const nextMonth = cnMidnight(local.getUTCFullYear(), local.getUTCMonth() + 2, 1);
  const daysLeft = Math.round((nextMonth - (cnMidnight(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()) + 24 * HOUR)) / (24 * HOUR));
  if (daysLeft > 0) expect(rest).toBeGreaterThan(0);
  await expect(note).toContainText('So far: through');
});

test('the tariff form shows prices in yuan, saves an edited price exactly, and keeps the JSON behind "advanced"', async ({ page }) => {
  await billOf(page, 'cn-zhejiang-ladder-tou', '2025-02');
  await page.getByTestId('tariff-edit').click();
  const form = page.getByTestId('tariff-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('window-name-0')).toHaveValue('peak');
  await expect(page.getByTestId('window-price-0')).toHaveValue('0.568');
  await expect(page.getByTestId('band-0-1-adder')).toHaveValue('0.05');
  await expect(page.getByTestId('band-0-0-upto')).toHaveValue('2760');
  await expect(form.getByTestId('day-strip').first()).toHaveAttribute('data-summary', '00:00–08:00 valley, 08:00–22:00 peak, 22:00–24:00 valley');
  for (const theme of ['dark', 'light'] as const) {
    await page.getByTestId('theme').selectOption(theme);
    expect(blocking(await axeViolations(page)), `the tariff form, ${theme}`).toEqual([]);
  }

  // A price that is not a number is named before anything is sent.
  await page.getByTestId('window-price-0').fill('0,6x');
  await page.getByTestId('tariff-save').click();
  await expect(page.getByTestId('tariff-problems')).toContainText('Enter prices as numbers');
  await expect(page.getByTestId('window-price-0')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('window-price-0').fill('0.6');
  await page.getByTestId('tariff-save').click();
  await expect(page.getByRole('status').filter({ hasText: 'Tariff saved.' })).toBeVisible();
  // The saved copy prices peak at exactly 60000 thousandths of a fen, and the bill follows it.
  const saved = await page.evaluate(() => window.wattlet!.invoke('tariff.get', { id: 'cn-zhejiang-ladder-tou' }));
  expect(saved.origin).toBe('user');
  expect((saved.tariff as { energy: { prices: Record<string, number> } }).energy.prices).toEqual({ peak: 60_000, valley: 28_800 });
  const peakRow = page.locator('[data-testid="bill-lines"] tr[data-key="energy:peak:1"]');
  await expect(peakRow.locator('[data-column="unit-price"]')).toHaveText('CN¥0.60/kWh');

  await page.getByTestId('tariff-advanced').click();
  const json = page.getByTestId('tariff-json');
  await expect(json).toBeVisible();
  expect(JSON.parse(await json.inputValue()).energy.prices.peak).toBe(60_000);
  await page.getByTestId('tariff-form-toggle').click();
  await expect(page.getByTestId('window-price-0')).toHaveValue('0.60');
  await page.screenshot({ path: test.info().outputPath('bills-tariff-form.png'), fullPage: true });
});
