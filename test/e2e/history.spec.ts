import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { querySeries } from '../../main/history/series.js';
import { HistoryStore } from '../../main/history/store.js';
import type { MeterSample } from '../../main/history/sample.js';
import { cnMidnight, seedYear } from '../fixtures/history/seed-year.js';
import { startHost, type RunningHost } from './support/host-process.js';
import { expect, test } from './support/fixtures.js';
import type { Page } from '@playwright/test';

let dataDir = '';
let samples: MeterSample[] = [];
let host: RunningHost;

// The screen's zone is not the household's (the seeded history is Asia/Shanghai's): dates on
// the page must still be the household's.
test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-e2e-history-'));
  samples = seedYear(dataDir);
  // No meter: the seeded year is all the history there is, so the chart cannot move under us.
  host = await startHost({ dataDir, args: ['--meter', 'none', '--demo-days', '0'] });
});

test.afterAll(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The chart's current range and numbers, once the page says it is no longer loading. */
async function settledChart(page: Page) {
  const status = page.getByTestId('history-status');
  const chart = page.getByTestId('history-chart');
  // Settled: nothing loading, and the data on the chart is for the range the view shows.
  await expect
    .poll(async () => {
      const loading = await status.getAttribute('data-loading');
      return loading === 'false' && (await status.getAttribute('data-view-from')) === (await chart.getAttribute('data-from'));
    })
    .toBe(true);
  const attr = async (n: string) => Number(await chart.getAttribute(`data-${n}`));
  return { level: await chart.getAttribute('data-level'), from: await attr('from'), to: await attr('to'), points: await attr('points'), importWh: await attr('import-wh'), exportWh: await attr('export-wh') };
}

function storeSeries(from: number, to: number) {
  const store = new HistoryStore({ file: path.join(dataDir, 'history.sqlite') });
  try {
    return querySeries(store, from, to);
  } finally {
    store.dispose();
  }
}

const sum = (xs: Array<number | null>) => xs.reduce<number>((s, v) => s + (v ?? 0), 0);

test('History: zoom from a year to a day; the chart shows what the store holds', async ({ page }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="history"]').click();
  await page.getByTestId('preset-year').click();
  const year = await settledChart(page);
  expect(year.level).toBe('day');
  expect(year.to - year.from).toBe(365 * 86_400_000);
  const yearStore = storeSeries(year.from, year.to);
  expect(year.points).toBe(yearStore.t.length);
  expect(year.importWh).toBe(sum(yearStore.importWh));
  expect(year.exportWh).toBe(sum(yearStore.exportWh));
  expect(year.importWh).toBeGreaterThan(1_000_000); // a year of readings, not an empty chart

  // Month totals begin at Shanghai's midnight on the 1st (16:00 UTC the day before): each row
  // is labelled with its month in the household's zone, not the screen's previous month.
  const months = page.getByTestId('history-totals').locator('tbody tr');
  await expect(months.first()).toBeVisible();
  for (const row of (await months.all()).slice(0, 3)) {
    const start = Number(await row.getAttribute('data-start'));
    await expect(row.locator('th')).toHaveText(new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'Asia/Shanghai' }).format(start));
  }

  // Hovering shows the bucket's numbers.
  const chart = page.getByTestId('history-chart');
  const box = (await chart.locator('.u-over').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 3);
  await expect(page.getByTestId('chart-tooltip')).toContainText('kWh');

  // Zoom in with the keyboard, nine halvings of the year: down to a day or two.
  await chart.focus();
  for (let i = 0; i < 9; i++) await page.keyboard.press('+');
  const closer = await settledChart(page);
  expect(closer.to - closer.from).toBeLessThan(3 * 86_400_000);
  expect(['minute', 'quarter']).toContain(closer.level);
  const closerStore = storeSeries(closer.from, closer.to);
  expect(closer.points).toBe(closerStore.t.length);
  expect(closer.importWh).toBe(sum(closerStore.importWh));

  // A day of the seeded year, bucket by bucket through the data table.
  await page.getByTestId('preset-day').click();
  const day = await settledChart(page);
  expect(day.level).toBe('minute');
  const dayStore = storeSeries(day.from, day.to);
  await page.getByTestId('toggle-table').click();
  const rows = page.getByTestId('history-table').locator('tbody tr');
  await expect(rows).toHaveCount(dayStore.t.length);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-t')), tr.getAttribute('data-import-wh')]));
  expect(shown).toEqual(dayStore.t.map((t, i) => [t, dayStore.importWh[i] === null ? '' : String(dayStore.importWh[i])]));
  // The seeded meter's own registers agree with the day's total.
  const inDay = samples.filter((s) => s.ts > day.from && s.ts <= day.to);
  if (inDay.length > 1 && inDay[0].ts === day.from + 60_000) {
    const before = samples.find((s) => s.ts === day.from);
    if (before) expect(day.importWh).toBe(inDay.at(-1)!.importWh - before.importWh);
  }
});

test('Bills: the bill of the month that crosses the ladder equals one computed by hand from the tariff file', async ({ page }) => {
  const tariff = JSON.parse(fs.readFileSync('resources/tariffs/cn-zhejiang-ladder-tou.json', 'utf8')) as {
    energy: { prices: Record<string, number> };
    tiers: { schedules: Array<{ bands: Array<{ upToKWh: number | null; adder: number }> }> };
    export: { price: number };
  };
  // By hand: every minute's register deltas, peak 08:00–22:00 local, the ladder counted from
  // 1 January, each line rounded half up to the fen.
  const bands = tariff.tiers.schedules[0].bands;
  // The month in which the year's import passes the first band: both bands are on its bill.
  const threshold = bands[0].upToKWh! * 1000 + samples[0].importWh;
  const crossing = samples.find((s) => s.importWh > threshold)!;
  const month = new Date(crossing.ts + 8 * 3_600_000).getUTCMonth() + 1;
  const from = cnMidnight(2025, month, 1);
  const to = cnMidnight(2025, month + 1, 1);
  const perLine = new Map<string, { wh: number; price: number }>();
  let cumulative = 0;
  let exported = 0;
  for (let i = 1; i < samples.length; i++) {
    const end = samples[i].ts;
    if (end > to) break;
    const wh = samples[i].importWh - samples[i - 1].importWh;
    if (end <= from) {
      cumulative += wh;
      continue;
    }
    exported += (samples[i].exportWh ?? 0) - (samples[i - 1].exportWh ?? 0);
    const localHour = new Date(end - 1 + 8 * 3_600_000).getUTCHours();
    const window = localHour >= 8 && localHour < 22 ? 'peak' : 'valley';
    let left = wh;
    for (let b = 0; b < bands.length && left > 0; b++) {
      const cap = bands[b].upToKWh === null ? Infinity : bands[b].upToKWh! * 1000;
      const take = Math.min(left, Math.max(0, cap - cumulative));
      if (take === 0) continue;
      const key = `energy:${window}:${b + 1}`;
      const line = perLine.get(key) ?? { wh: 0, price: tariff.energy.prices[window] + bands[b].adder };
      line.wh += take;
      perLine.set(key, line);
      cumulative += take;
      left -= take;
    }
  }
  const fen = (wh: number, milli: number) => Math.floor((wh * milli + 500_000) / 1_000_000);
  let expected = 0;
  for (const l of perLine.values()) expected += fen(l.wh, l.price);
  expected -= fen(exported, tariff.export.price);
  expect(perLine.size).toBeGreaterThanOrEqual(3); // the month crosses into the second band

  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="bills"]').click();
  await page.getByTestId('bill-tariff').selectOption('cn-zhejiang-ladder-tou');
  await page.getByTestId('bill-month').fill(`2025-${String(month).padStart(2, '0')}`);
  await page.getByTestId('bill-compute').click();
  await expect(page.getByTestId('bill-total')).toHaveAttribute('data-total', String(expected));
  for (const [key, line] of perLine) {
    await expect(page.locator(`[data-testid="bill-lines"] tr[data-key="${key}"]`)).toHaveAttribute('data-amount', String(fen(line.wh, line.price)));
  }

  // Type in a utility bill that charged 3.00 CNY more on the peak line: the comparison says so.
  const peak = perLine.get('energy:peak:1')!;
  await page.getByTestId('theirs-amount-energy:peak:1').fill(((fen(peak.wh, peak.price) + 300) / 100).toFixed(2));
  await page.getByTestId('theirs-total').fill(((expected + 300) / 100).toFixed(2));
  await page.getByTestId('compare-run').click();
  const result = page.getByTestId('compare-result');
  await expect(result).toHaveAttribute('data-status', 'differs');
  await expect(result).toHaveAttribute('data-total-diff', '300');
  await expect(result.locator('tr[data-key="energy:peak:1"]')).toHaveAttribute('data-status', 'differs');
});
