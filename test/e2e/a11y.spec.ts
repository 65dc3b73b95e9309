import { axeViolations, blocking } from './support/axe.js';
import { expect, test } from './support/fixtures.js';

// axe-core on every page of the app (browser host, demo mode, a day of history), in both
// themes: no serious, critical or moderate violation — among them the three: a
// scrollable region that takes no focus, the Ledger's heading order, and the Diagnostics page's
// landmarks named twice.
const pages = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;

test.describe.configure({ timeout: 240_000 });

const sizes = { wide: { width: 1280, height: 800 }, small: { width: 800, height: 600 } } as const;

for (const [theme, size] of [['light', 'wide'], ['dark', 'wide'], ['light', 'small'], ['dark', 'small']] as const) {
  test(`every page in the ${theme} theme at ${sizes[size].width}×${sizes[size].height} has no serious, critical or moderate axe violation`, async ({ page, host }) => {
    await page.setViewportSize(sizes[size]);
    await page.goto(host.launchUrl);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Through the settings (at 800 px the theme menu is folded away); the window follows them.
    await page.evaluate((t) => window.wattlet!.invoke('settings.update', { theme: t }), theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const found: Record<string, string[]> = {};
    for (const id of pages) {
      // By address: at 800 px the menu is folded away (the keyboard spec walks it).
      await page.evaluate((page) => (location.hash = `/${page}`), id);
      await expect(page.locator('main')).toHaveAttribute('data-page', id);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Let the page's first data arrive (its loading lines, tables and charts).
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForTimeout(1500);
      const problems = blocking(await axeViolations(page));
      if (problems.length) found[id] = problems;
    }
    expect(found).toEqual({});
  });
}

test('the parts a person opens (the notification list, the frame log, the bundle summary and its JSON) have none either', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByTestId('notification-bell').click();
  await expect(page.getByTestId('notification-panel')).toBeVisible();
  expect(blocking(await axeViolations(page))).toEqual([]);
  await page.keyboard.press('Escape');

  await page.locator('nav a[data-page="diagnostics"]').click();
  await page.getByTestId('frames-toggle').click();
  await expect(page.getByTestId('frames-log')).toBeVisible();
  await page.getByTestId('bundle-preview').click();
  await expect(page.getByTestId('bundle-summary')).toBeVisible();
  await page.getByTestId('bundle-json-toggle').click();
  await expect(page.getByTestId('bundle-json')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId('theme').selectOption(theme);
    expect(blocking(await axeViolations(page)), `diagnostics, ${theme}`).toEqual([]);
  }

  // The Ledger page with a day's verification report open (the heading order). Demo
  // mode's chain starts in the background; the page reads its status once.
  await expect
    .poll(() => page.evaluate(async () => (await window.wattlet!.invoke('ledger.status', {})).state), { timeout: 90_000 })
    .toBe('connected');
  await page.locator('nav a[data-page="ledger"]').click();
  const verify = page.getByTestId('ledger-verify-day').first();
  await expect(verify).toBeVisible({ timeout: 60_000 });
  await verify.click();
  await expect(page.getByTestId('ledger-report')).toBeVisible({ timeout: 30_000 });
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId('theme').selectOption(theme);
    expect(blocking(await axeViolations(page)), `ledger report, ${theme}`).toEqual([]);
  }
});
