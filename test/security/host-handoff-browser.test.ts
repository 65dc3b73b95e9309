import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { Wallet, verifyMessage } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// The handoff files are the person's only way in now that no token is printed: opening each in a
// real browser (Debian's Chromium) must land on the app and on the approval page, and work.
const signer = Wallet.createRandom();
let target: Target;
let browser: Browser;

beforeAll(async () => {
  target = await startTarget();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

it('the launch file opens the app, and the approval file opens the page that approves the waiting signature', async () => {
  const { host } = target;
  const context = await browser.newContext();
  const app = await context.newPage();
  await app.goto(pathToFileURL(host.launchFile).href);
  await app.waitForURL(`${host.origin}/**`);
  // The app is connected: a call through window.wattlet answers.
  await expect.poll(() => app.evaluate(() => window.wattlet!.invoke('app.info', {}).then(() => true, () => false)), { timeout: 15_000 }).toBe(true);

  const window_ = await Attacker.connect(host);
  await window_.result('wallet.import', { kind: 'privateKey', privateKey: signer.privateKey });
  await window_.result('wallet.unlock', {});
  window_.close();
  const signed = app.evaluate(
    (from) => window.wattlet!.invoke('wallet.requestSignature', { kind: 'message', from, message: 'opened from a file' }),
    signer.address,
  ) as Promise<{ signature: string }>;
  await host.approvalUrl(30_000); // the file is there
  const approval = await context.newPage();
  await approval.goto(pathToFileURL(host.approvalFile).href);
  await approval.waitForURL(`${host.origin}/approve/**`);
  await approval.getByText('opened from a file').waitFor();
  await approval.getByTestId('approval-approve').click();
  expect(verifyMessage('opened from a file', (await signed).signature)).toBe(signer.address);
  expect(existsSync(host.approvalFile)).toBe(false);
  await context.close();
  expect(await stillAnswering(host)).toBe(true);
});
