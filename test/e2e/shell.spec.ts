import WebSocket from 'ws';
import { expect, test } from './support/fixtures.js';

const pages = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;

test('every page opens from the navigation and renders without errors', async ({ page, host }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(host.launchUrl);
  await expect(page.getByRole('navigation')).toBeVisible();
  for (const id of pages) {
    await page.locator(`nav a[data-page="${id}"]`).click();
    await expect(page.locator('main')).toHaveAttribute('data-page', id);
    await expect(page.locator(`nav a[data-page="${id}"]`)).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('main h1, main h2').first()).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test('the token leaves the address bar and a reload keeps working', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await expect(page.getByTestId('host-mode')).toBeVisible();
  expect(page.url()).not.toContain(host.token);
  await page.reload();
  await expect(page.getByTestId('host-mode')).toBeVisible();
});

test('a value from a main-process service arrives through the contract', async ({ page, host }) => {
  await page.goto(`${host.launchUrl}`);
  await page.locator('nav a[data-page="settings"]').click();
  await expect(page.getByTestId('data-dir')).toHaveText(host.dataDir);
  await expect(page.getByTestId('host-mode')).toContainText('browser');
  const first = await page.evaluate(() => window.wattlet!.invoke('app.info', {}));
  await page.waitForTimeout(50);
  const second = await page.evaluate(() => window.wattlet!.invoke('app.info', {}));
  expect(second.uptimeMs).toBeGreaterThan(first.uptimeMs);
  expect(first.dataDir).toBe(host.dataDir);
});

test('language and theme switch, and both survive a restart of the page', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await expect(page.locator('nav a[data-page="overview"]')).toHaveText('Overview');
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.locator('nav a[data-page="overview"]')).toHaveText('概览');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme').selectOption('dark');
  await page.reload();
  await expect(page.locator('nav a[data-page="overview"]')).toHaveText('概览');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('a request failing its schema comes back as the typed error', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await expect(page.getByTestId('host-mode')).toBeVisible();
  const error = await page.evaluate(async () => {
    try {
      await window.wattlet!.invoke('settings.update', { theme: 'purple' } as never);
      return null;
    } catch (e) {
      const err = e as { code: string; facts: Record<string, unknown> };
      return { code: err.code, facts: err.facts };
    }
  });
  expect(error).toEqual({ code: 'REQUEST_INVALID', facts: expect.objectContaining({ channel: 'settings.update', path: 'theme' }) });
  const unknown = await page.evaluate(async () =>
    window.wattlet!.invoke('wallet.exportPrivateKey' as never, {} as never).then(
      () => 'answered',
      (e: { code: string }) => e.code,
    ),
  );
  expect(unknown).toBe('CHANNEL_UNKNOWN');
});

test('the browser host refuses a connection without the token or from another origin', async ({ page, host }) => {
  const wsUrl = `${host.origin.replace('http', 'ws')}/api`;
  const outcome = (url: string, origin: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { origin });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
  expect(await outcome(wsUrl, host.origin)).toBe('401');
  expect(await outcome(`${wsUrl}?token=wrong`, host.origin)).toBe('401');
  expect(await outcome(`${wsUrl}?token=${host.token}`, 'http://evil.example')).toBe('403');
  expect(await outcome(`${wsUrl}?token=${host.token}`, host.origin)).toBe('open');

  // From a page without the token, the app cannot reach the main process and says so.
  await page.goto(host.origin + '/');
  await expect(page.getByRole('status').first()).toContainText(/Connecting|Reconnecting/);
  const reached = await page.evaluate(() =>
    Promise.race([window.wattlet!.invoke('app.info', {}).then(() => 'reached'), new Promise((r) => setTimeout(() => r('refused'), 1500))]),
  );
  expect(reached).toBe('refused');
});
