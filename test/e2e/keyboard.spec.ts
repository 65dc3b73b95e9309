import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

// The whole app with the keyboard only (browser host, demo mode): the skip link, every page
// reached from the menu with Tab and Enter and the focus then on its heading, each page's Tab
// order walked to its end (every stop visible, no trap, no stop per table cell), and the actions
// whose results appear elsewhere (Verify, the frame log) leaving the focus on the result.
const pages = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;

test.describe.configure({ timeout: 240_000 });

interface Stop {
  readonly what: string;
  readonly inMain: boolean;
  readonly visible: boolean;
}

/** What has the focus now: a short description, whether it is in the page's content, whether it can be seen. */
async function focused(page: Page): Promise<Stop | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const what = `${el.tagName.toLowerCase()}${el.dataset['testid'] ? `[${el.dataset['testid']}]` : ''}${el.dataset['page'] ? `(${el.dataset['page']})` : ''} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
    return { what, inMain: !!el.closest('main'), visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' };
  });
}

/** Presses `key` until `matches` holds for the focused element (at most `max` presses); says how many it took. */
async function pressUntil(page: Page, key: string, matches: string, max = 40): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(key);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, matches)) return n;
  }
  throw new Error(`${key} ×${max} never reached ${matches}; focus is on ${(await focused(page))?.what ?? 'nothing'}`);
}

async function headingFocused(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.matches('main h1') ?? false);
}

test('every page by keyboard alone: skip link, menu, the focus on each heading, a walkable Tab order', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // The first Tab shows the skip link; Enter puts the focus on the page's heading.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await expect(page.getByTestId('skip-link')).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  const stopsPerPage: Record<string, number> = {};
  for (const id of pages) {
    // Back from the content to the menu, Enter on the page's link.
    await pressUntil(page, 'Shift+Tab', `nav a[data-page="${id}"]`);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/${id}$`));
    await expect(page.locator('main')).toHaveAttribute('data-page', id);
    // The focus left the menu for the new page's heading: the content is the next Tab away.
    await expect.poll(() => headingFocused(page), { message: `${id}: the focus is on the heading` }).toBe(true);
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(1000);

    // Walk the page to its end: each stop visible and in the content, until the focus leaves it.
    const stops: Stop[] = [];
    for (let n = 0; n < 200; n++) {
      await page.keyboard.press('Tab');
      const stop = await focused(page);
      if (!stop || !stop.inMain) break;
      stops.push(stop);
    }
    expect(stops.length, `${id}: the Tab order ends (no trap)`).toBeLessThan(200);
    expect(stops.filter((s) => !s.visible).map((s) => s.what), `${id}: every stop can be seen`).toEqual([]);
    stopsPerPage[id] = stops.length;
    // From wherever the walk ended, back to the heading of this page for the next round.
    await page.evaluate(() => (document.querySelector('main h1') as HTMLElement | null)?.focus());
  }
  // No page has a stop per table cell (the Diagnostics frame log had 500 rows of them).
  for (const [id, n] of Object.entries(stopsPerPage)) expect(n, `${id} has ${n} Tab stops`).toBeLessThan(80);
});

test('actions by keyboard leave the focus on their result: a verification report, the frame log as one stop', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Demo mode's chain starts in the background; the Ledger page reads its status once.
  await expect
    .poll(() => page.evaluate(async () => (await window.wattlet!.invoke('ledger.status', {})).state), { timeout: 90_000 })
    .toBe('connected');
  // Ledger: Tab to the first day's Verify, Enter: the report's title has the focus.
  await pressUntil(page, 'Tab', 'nav a[data-page="ledger"]');
  await page.keyboard.press('Enter');
  await expect.poll(() => headingFocused(page)).toBe(true);
  await expect(page.getByTestId('ledger-verify-day').first()).toBeVisible({ timeout: 60_000 });
  await pressUntil(page, 'Tab', '[data-testid="ledger-verify-day"]', 80);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ledger-report')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#ledger-report-title')).toBeFocused();

  // Diagnostics: the frame log opens from its toggle and is one stop, however many frames it holds.
  await pressUntil(page, 'Shift+Tab', 'nav a[data-page="diagnostics"]', 120);
  await page.keyboard.press('Enter');
  await expect.poll(() => headingFocused(page)).toBe(true);
  await pressUntil(page, 'Tab', '[data-testid="frames-toggle"]', 80);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('frames-toggle')).toHaveAttribute('aria-expanded', 'true');
  await pressUntil(page, 'Tab', '[data-testid="frames-log"]', 20);
  await expect(page.getByTestId('frames-table').locator('tbody tr')).not.toHaveCount(0);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="frames-log"]') ?? null)).toBeNull();
  // The support bundle: Preview by keyboard puts the focus on its summary.
  await pressUntil(page, 'Shift+Tab', '[data-testid="bundle-preview"]', 80);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bundle-summary')).toBeFocused();
});

test('at 800×600 the folded menu opens, leads to a page and closes, with the focus on the heading', async ({ page, host }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('menu-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('menu-button')).toHaveAttribute('aria-expanded', 'true');
  await pressUntil(page, 'Tab', 'nav a[data-page="history"]');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/history$/);
  await expect.poll(() => headingFocused(page)).toBe(true);
  await expect(page.getByTestId('menu-button')).toHaveAttribute('aria-expanded', 'false');
  // Escape closes the open menu and gives the focus back to its button.
  await page.getByTestId('menu-button').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('menu-button')).toBeFocused();
  await expect(page.getByTestId('menu-button')).toHaveAttribute('aria-expanded', 'false');
});
