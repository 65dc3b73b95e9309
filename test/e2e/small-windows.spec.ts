import type { Page } from '@playwright/test';
import { startHost, type RunningHost } from './support/host-process.js';
import { expect, test } from './support/fixtures.js';

// Small windows (issue 17): below ~900 px the sidebar folds into a menu button, and no page
// scrolls sideways at 800×600 — wide tables scroll inside their own region instead.
const pages = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;
let host: RunningHost;

test.beforeAll(async () => {
  host = await startHost({ args: ['--meter', 'demo', '--demo-days', '3'] });
});
test.afterAll(async () => host?.stop());

/** How far the page, or the main region, reaches past the window's right edge (0 = nothing). */
async function sideways(page: Page): Promise<{ document: number; main: number; offenders: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const main = document.querySelector('main')!;
    const right = main.getBoundingClientRect().right;
    // What sticks out, ignoring what sits inside a region that scrolls on its own.
    const offenders = [...main.querySelectorAll<HTMLElement>('*')]
      .filter((e) => e.getBoundingClientRect().right > right + 1 && !e.closest('.table-region, [data-scrolls]'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.dataset.testid ? `[${e.dataset.testid}]` : ''}.${e.className}`);
    return { document: doc.scrollWidth - doc.clientWidth, main: main.scrollWidth - main.clientWidth, offenders };
  });
}

test('at 800×600 the menu folds into a button, and no page scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(host.launchUrl);
  const menu = page.getByTestId('menu-button');
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('navigation')).toBeHidden();

  for (const id of pages) {
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await page.locator(`nav a[data-page="${id}"]`).click();
    await expect(page.locator('main')).toHaveAttribute('data-page', id);
    // Choosing a page closes the menu, so the page is what shows.
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByRole('navigation')).toBeHidden();
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(700); // tables and charts that load after the heading
    expect({ page: id, ...(await sideways(page)) }).toEqual({ page: id, document: 0, main: 0, offenders: [] });
  }

  // The busiest page of mine: a bill, its comparison and the editor, all open.
  await menu.click();
  await page.locator('nav a[data-page="bills"]').click();
  await expect(page.getByTestId('bill-lines')).toBeVisible();
  await page.getByTestId('theirs-total').fill('1');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-result')).toBeVisible();
  await page.getByTestId('tariff-edit').click();
  await page.waitForTimeout(500);
  expect(await sideways(page)).toEqual({ document: 0, main: 0, offenders: [] });

  // History with its data table open.
  await menu.click();
  await page.locator('nav a[data-page="history"]').click();
  await page.getByTestId('preset-day').click();
  await page.getByTestId('toggle-table').click();
  await expect(page.getByTestId('history-table')).toBeVisible();
  expect(await sideways(page)).toEqual({ document: 0, main: 0, offenders: [] });

  // Escape closes the menu and gives the focus back to its button.
  await menu.click();
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.locator('nav a[data-page="overview"]').focus();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
});

test('at 1280×800 the sidebar stays, with no menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByTestId('menu-button')).toBeHidden();
  for (const id of pages) {
    await page.locator(`nav a[data-page="${id}"]`).click();
    await expect(page.locator('main')).toHaveAttribute('data-page', id);
    await page.waitForLoadState('networkidle');
    expect({ page: id, ...(await sideways(page)) }).toEqual({ page: id, document: 0, main: 0, offenders: [] });
  }
});

test('a table wider than a narrow window scrolls in its own region, which the keyboard can reach', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 700 });
  await page.goto(host.launchUrl);
  await page.getByTestId('menu-button').click();
  await page.locator('nav a[data-page="bills"]').click();
  const region = page.getByTestId('bill-lines-region');
  await expect(region).toBeVisible();
  await expect(region).toHaveAttribute('role', 'region');
  await expect(region).toHaveAttribute('tabindex', '0');
  await expect(region).toHaveAttribute('aria-label', 'Bill lines');
  const before = await region.evaluate((e) => e.scrollLeft);
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(before);
  expect((await sideways(page)).document).toBe(0);
  // At a width where it fits, the same table is no stop for the keyboard.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(region).not.toHaveAttribute('tabindex', '0');
});
