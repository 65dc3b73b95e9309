import { expect, test } from './support/fixtures.js';

// Issue 14: a javascript: RPC URL was accepted. The Settings page now refuses it and says why
// beside the field, in the person's language, and keeps the setting as it was.
test('the Settings page refuses a javascript: RPC URL and says why, in English and in Chinese', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="settings"]').click();
  const field = page.locator('input[name="rpcUrl"]');
  await field.fill('javascript:alert(document.domain)');
  await page.getByRole('button', { name: 'Save' }).click();
  const problem = page.locator('#rpc-problem');
  await expect(problem).toHaveText('The JSON-RPC URL must start with http:// or https:// (javascript: is not allowed).');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', 'rpc-help rpc-problem');

  await page.getByTestId('language').first().selectOption('zh-CN');
  await expect(problem).toHaveText('JSON-RPC 地址必须以 http:// 或 https:// 开头（不允许 javascript:）。');

  expect((await page.evaluate(() => window.wattlet!.invoke('settings.get', {}))).rpcUrl).toBeNull();
  await field.fill('');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(problem).toHaveCount(0);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
});
