import { expect, test } from './support/fixtures.js';

// The Settings page over the built browser host in demo mode: a bad contract address is said in
// a sentence (never the schema's pattern), in English and Chinese, with the focus on the field;
// the chain in use says "Demo chain" only while no RPC URL is set, here and on the Ledger page.
test('a contract address that is not one is refused in words, in English and in Chinese, and nothing is stored', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="settings"]').click();
  const field = page.locator('input[name="contractAddress"]');
  await field.fill('0x1234');
  await page.getByRole('button', { name: 'Save' }).click();
  const problem = page.locator('#contract-problem');
  await expect(problem).toHaveText('The contract address is 0x followed by 40 letters a–f and digits 0–9, as the operator publishes it.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect(page.locator('main')).not.toContainText('pattern');
  await expect(page.locator('main')).not.toContainText('[0-9a-fA-F]');

  await page.getByTestId('language').first().selectOption('zh-CN');
  await expect(problem).toHaveText('合约地址应为 0x 加 40 位字母 a–f 或数字 0–9，以运营方公布的为准。');
  expect((await page.evaluate(() => window.wattlet!.invoke('settings.get', {}))).contractAddress).toBeNull();

  await field.fill('0x5FbDB2315678afecb367f032d93F642f64180aa3');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(problem).toHaveCount(0);
  await expect(page.getByText('设置已保存。')).toBeVisible();
});

test('"Demo chain" goes once a custom RPC URL is set, on the Settings page and on the Ledger page', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="settings"]').click();
  const chain = page.getByTestId('chain-in-use');
  await expect(chain).toContainText('Demo chain');
  await page.locator('input[name="rpcUrl"]').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(chain).toContainText('Live chain at http://127.0.0.1:9');
  await expect(chain).not.toContainText('Demo chain');

  await page.locator('nav a[data-page="ledger"]').click();
  await expect(page.getByTestId('ledger-status')).toBeVisible();
  await expect(page.getByTestId('ledger-status')).toContainText('Live chain');
  await expect(page.getByTestId('ledger-status')).not.toContainText('Demo chain');

  // Clearing it brings the demo chain back.
  await page.locator('nav a[data-page="settings"]').click();
  await page.locator('input[name="rpcUrl"]').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(chain).toContainText('Demo chain');
});
