import { expect, test } from './support/fixtures.js';

// Settings → Checkpoint over the built browser host in demo mode: a line typed from the bill pins
// a block of demo mode's chain, the page says when and from where and that the ledger endpoint
// has the same block, every verification then names it; a line that is not a checkpoint is
// refused in words (English and Chinese), and the checkpoint can be forgotten.
type Status = { state: string; rpcUrl: string | null };

test('a checkpoint typed from the bill is pinned, named in the verdict, refused when it is not one, and forgotten', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.locator('nav a[data-page="settings"]').click();
  const section = page.getByTestId('checkpoint');
  await expect(section.getByRole('heading', { name: 'Checkpoint' })).toBeVisible();
  await expect(page.getByTestId('checkpoint-current')).toHaveText('No checkpoint is pinned: verifications rest on the ledger endpoint’s word.');

  // Demo mode's chain: the block the "bill" prints is read from it by the test, as an operator would print it.
  await expect.poll(async () => (await page.evaluate(() => window.wattlet!.invoke('ledger.status', {})) as Status).state, { timeout: 60_000 }).toBe('connected');
  const { rpcUrl } = (await page.evaluate(() => window.wattlet!.invoke('ledger.status', {}))) as Status;
  const rpc = async (method: string, params: unknown[]) =>
    ((await (await fetch(rpcUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result: unknown }).result;
  const head = Number(BigInt((await rpc('eth_blockNumber', [])) as string));
  const n = Math.max(1, head - 2);
  const hash = ((await rpc('eth_getBlockByNumber', ['0x' + n.toString(16), false])) as { hash: string }).hash;

  // Wrong first: a line with no hash is refused in words, nothing pinned.
  await section.locator('input[name="checkpoint-line"]').fill(`block ${n}`);
  await section.getByRole('button', { name: 'Pin checkpoint' }).click();
  await expect(section.locator('[data-error-code="LEDGER_CHECKPOINT_INVALID"]')).toHaveText(/That is not a checkpoint: it needs one block number and one block hash/);
  await page.getByTestId('language').first().selectOption('zh-CN');
  await expect(section.locator('[data-error-code="LEDGER_CHECKPOINT_INVALID"]')).toHaveText(/这不是检查点/);
  await expect(section.getByRole('heading', { name: '检查点' })).toBeVisible();
  await page.getByTestId('language').first().selectOption('en');

  await section.locator('input[name="checkpoint-line"]').fill(`Ledger checkpoint: chain 31337, block ${n.toLocaleString('en')}, ${hash}`);
  await section.locator('input[name="checkpoint-label"]').fill('November bill');
  await section.locator('input[name="checkpoint-label"]').press('Enter');
  await expect(page.getByTestId('checkpoint-current')).toContainText(`from the bill (November bill): block ${n.toLocaleString('en')}`);
  await expect(page.getByTestId('checkpoint-current')).toContainText(hash);
  await expect(page.getByTestId('checkpoint-endpoint')).toHaveAttribute('data-endpoint', 'agrees');
  await expect(section.getByRole('status')).toHaveText('Checkpoint pinned.');

  // Every verification now rests on it, and says so.
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const report = (await page.evaluate((date) => window.wattlet!.invoke('ledger.verifyDay', { date }), day)) as {
    checkpoint: { number: number; relation: string } | null;
    steps: Array<{ id: string; status: string; message: string }>;
  };
  expect(report.checkpoint).toMatchObject({ number: n, relation: 'descendant' });
  const step = report.steps.find((s) => s.id === 'checkpoint')!;
  expect(step.status).toBe('pass');
  expect(step.message).toContain('from the bill (November bill)');

  // Kept across a reload (the data folder), then forgotten.
  await page.reload();
  await page.locator('nav a[data-page="settings"]').click();
  await expect(page.getByTestId('checkpoint-current')).toHaveAttribute('data-number', String(n));
  await section.getByRole('button', { name: 'Forget checkpoint' }).click();
  await expect(page.getByTestId('checkpoint-current')).toHaveText('No checkpoint is pinned: verifications rest on the ledger endpoint’s word.');
});
