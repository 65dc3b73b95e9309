import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// The notification centre against the app as the composition root builds it (composeServices in
// the browser host): a simulated USB bus with an FTDI cable on a DSMR 5 meter that the real
// MeterSession reads (the test unplugs and re-plugs the cable), keys in a private gnome-keyring,
// and the browser host's approval page. Playwright's loader cannot import the main process's
// TypeScript, so this file is also the host script: run under tsx with WATTLET_NOTIFY_SERVE=1 it
// serves, and takes "unplug" / "plug" on its stdin.

const root = resolve(import.meta.dirname, '..', '..');

async function serve(): Promise<void> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { createInterface } = await import('node:readline');
  const { startPrivateKeyring } = await import('../integration/wallet/support/private-keyring.js');
  // Before the first keychain call of this process: libsecret binds to the first bus it sees.
  const keyring = await startPrivateKeyring({ unlocked: true });
  const { composeServices } = await import('../../main/compose.js');
  const { ApprovalRoute } = await import('../../main/host/approval-route.js');
  const { BrowserHost } = await import('../../main/host/browser-host.js');
  const { silentLogger } = await import('../../main/logging/logger.js');
  const { SimulatedFtdi } = await import('../../main/meter/sim/adapters/simulated-ftdi.js');
  const { SimulatedUsbBackend } = await import('../../main/meter/sim/adapters/simulated-usb-backend.js');
  const { SimulatedDsmrMeter } = await import('../../main/meter/sim/meters/simulated-dsmr-meter.js');

  const dataDir = mkdtempSync(join(tmpdir(), 'wattlet-e2e-notify-'));
  const rendererDir = join(root, 'out', 'renderer');
  const backend = new SimulatedUsbBackend();
  const cable = new SimulatedFtdi({ serialNumber: 'A50285BI' });
  const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 250, equipmentId: 'E0025000123456789' });
  cable.connectMeter(meter);
  backend.plug(cable);
  let host: Awaited<ReturnType<typeof BrowserHost.start>> | null = null;
  const approvals = new ApprovalRoute({ rendererDir, origin: () => host?.url ?? null, deliver: (url) => process.stdout.write(`Approval needed: ${url}\n`) });
  const services = await composeServices({
    dataDir,
    host: 'browser',
    version: '0.1.0',
    meter: 'A50285BI',
    approval: approvals.surface,
    // No chain is needed here: an endpoint that answers nothing keeps demo mode's from starting.
    settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' },
    parts: { usbBackend: backend, serialPorts: async () => [], logger: silentLogger },
  });
  host = await BrowserHost.start({ dispatch: services.dispatch, bus: services.bus, rendererDir, logger: silentLogger, routes: [approvals.route] });
  services.bus.on('meter.state', (s) => process.stdout.write(`meter ${s.state}\n`));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'unplug') backend.unplug(cable);
    if (line === 'plug') backend.plug(cable);
  });
  process.stdout.write(`Wattlet is running at ${host.launchUrl}\n`);
  const stop = async () => {
    try {
      await host?.close();
      approvals.dispose();
      await services.dispose();
    } finally {
      meter.detach();
      backend.dispose();
      keyring.stop();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop());
}

interface Running {
  readonly launchUrl: string;
  readonly output: () => string;
  send(line: string): void;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts this file as the host under tsx and waits for its address line. */
async function start(): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'notifications.spec.ts')], {
    cwd: root,
    env: { ...process.env, WATTLET_NOTIFY_SERVE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const waitFor = async (pattern: RegExp, ms = 60_000, from = 0): Promise<RegExpMatchArray> => {
    const end = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(out.slice(from));
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`host exited:\n${out}`);
      if (Date.now() > end) throw new Error(`host did not print ${pattern}:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const [, launchUrl] = await waitFor(/Wattlet is running at (\S+)\n/);
  return {
    launchUrl: launchUrl!,
    output: () => out,
    send: (line) => child.stdin!.write(`${line}\n`),
    waitFor: (pattern, ms) => waitFor(pattern, ms),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

if (process.env.WATTLET_NOTIFY_SERVE) await serve();
else defineTests();

function defineTests(): void {
  test.describe.configure({ timeout: 150_000 });
  let running: Running;
  test.beforeEach(async () => {
    running = await start();
  });
  test.afterEach(async () => {
    await running.stop();
  });

  const bell = (page: Page) => page.getByTestId('notification-bell');

  test('a disconnected meter is announced, counted on the bell and linked to Diagnostics; reconnecting replaces it — all by keyboard', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(running.launchUrl);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await running.waitFor(/meter reading\n/);
    await expect(bell(page)).toHaveAccessibleName('Notifications');
    await expect(page.getByTestId('notification-count')).toHaveCount(0);

    running.send('unplug');
    // Told after the session's grace (5 s), in the live region and on the bell.
    await expect(page.getByTestId('notification-announcer')).toContainText('Meter disconnected', { timeout: 30_000 });
    await expect(page.getByTestId('notification-count')).toHaveText('1');
    await expect(bell(page)).toHaveAccessibleName('Notifications: 1');

    // Keyboard only: to the bell, open, the link, Enter: Diagnostics with the focus on its heading.
    await bell(page).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('notification-panel');
    await expect(panel).toBeVisible();
    await expect(panel).toBeFocused();
    const item = panel.getByTestId('notification');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-kind', 'meterDisconnected');
    await expect(item).toContainText('Wattlet is not reading your meter');
    await page.keyboard.press('Tab');
    await expect(item.getByTestId('notification-link')).toBeFocused();
    await expect(item.getByTestId('notification-link')).toHaveText('Open Diagnostics');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/diagnostics$/);
    await expect(panel).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

    // Escape closes the list and gives the focus back to the bell.
    await bell(page).focus();
    await page.keyboard.press('Enter');
    await expect(panel).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(bell(page)).toBeFocused();

    running.send('plug');
    await expect(page.getByTestId('notification-announcer')).toContainText('Meter reconnected', { timeout: 30_000 });
    await page.keyboard.press('Enter');
    await expect(panel.getByTestId('notification')).toHaveCount(1);
    await expect(panel.getByTestId('notification')).toHaveAttribute('data-kind', 'meterReconnected');

    // Dismissed: gone from the list and the bell, in this window and after a reload.
    await panel.getByRole('button', { name: 'Dismiss: Meter reconnected' }).click();
    await expect(panel.getByTestId('notification')).toHaveCount(0);
    await expect(page.getByTestId('notification-count')).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await bell(page).click();
    await expect(page.getByTestId('notification-empty')).toBeVisible();
  });

  test('a signature waiting for approval is told (in zh-CN too) and withdrawn once the person rejects it', async ({ page, context }) => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(running.launchUrl);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The window asks for a signature, as a page of the app does: the approval comes out of band.
    const asked = page.evaluate(async () => {
      const api = window.wattlet!;
      const key = '0x' + '42'.repeat(32);
      await api.invoke('wallet.import', { kind: 'privateKey', privateKey: key, label: 'Signer' });
      const { accounts, state } = await api.invoke('wallet.status', {});
      if (state !== 'unlocked') await api.invoke('wallet.unlock', {});
      return api.invoke('wallet.requestSignature', { kind: 'message', from: accounts[0]!.address, message: 'meter reading 42' }).then(
        () => 'signed',
        (e: { code?: string }) => e.code ?? 'failed',
      );
    });
    const [, approvalUrl] = await running.waitFor(/Approval needed: (\S+)\n/);
    await expect(page.getByTestId('notification-announcer')).toContainText('Approval waiting');
    await expect(page.getByTestId('notification-count')).toHaveText('1');
    await bell(page).click();
    const item = page.getByTestId('notification');
    await expect(item).toHaveAttribute('data-kind', 'approvalWaiting');
    await expect(item).not.toContainText('meter reading 42'); // what is signed shows on the approval page only
    await expect(item.getByTestId('notification-link')).toHaveAttribute('href', '#/wallet?at=pending-approvals');

    // At 800×600 the language choice is in the folded menu.
    await chooseLanguage(page, 'zh-CN');
    // Choosing from the menu closed the list: open it again.
    if ((await bell(page).getAttribute('aria-expanded')) !== 'true') await bell(page).click();
    await expect(item).toContainText('有请求等待批准');
    await expect(item.getByTestId('notification-link')).toHaveText('打开“钱包”');
    await chooseLanguage(page, 'en');

    const prompt = await context.newPage();
    await prompt.goto(approvalUrl!);
    await prompt.getByTestId('approval-reject').click();
    expect(await asked).toBe('APPROVAL_REJECTED');
    await bell(page).click();
    await expect(page.getByTestId('notification-count')).toHaveCount(0);
    await expect(page.getByTestId('notification')).toHaveCount(0);
  });
}

/** The language picker, opening the folded menu first where the window is narrow. */
async function chooseLanguage(page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  const menu = page.getByTestId('menu-button');
  const folded = await menu.isVisible();
  if (folded) await menu.click();
  await page.getByTestId('language').selectOption(language);
  if (folded) await page.keyboard.press('Escape');
}
