import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

// The Diagnostics page against the app as the composition root builds it (composeServices, in
// the browser host): a simulated USB bus is its one injected part, with an FTDI cable on a DSMR 5
// meter that the real MeterSession detects and reads, a second cable the user may not open, and a
// third on an old DSMR 2.2 meter for the auto-probe. Playwright's loader cannot import the main
// process's TypeScript, so this file is also the host script: run under tsx with
// WATTLET_DIAG_SERVE=1 it serves.

const root = resolve(import.meta.dirname, '..', '..');
const RULE = join(root, 'resources', 'udev', '99-wattlet.rules');

async function serve(): Promise<void> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { composeServices } = await import('../../main/compose.js');
  const { BrowserHost } = await import('../../main/host/browser-host.js');
  const { silentLogger } = await import('../../main/logging/logger.js');
  const { SimulatedFtdi } = await import('../../main/meter/sim/adapters/simulated-ftdi.js');
  const { SimulatedUsbBackend } = await import('../../main/meter/sim/adapters/simulated-usb-backend.js');
  const { SimulatedDsmrMeter } = await import('../../main/meter/sim/meters/simulated-dsmr-meter.js');

  class NoPermissionFtdi extends SimulatedFtdi {
    override async open(): Promise<void> {
      throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
    }
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'wattlet-e2e-diag-'));
  const backend = new SimulatedUsbBackend();
  const good = new SimulatedFtdi({ serialNumber: 'A50285BI' });
  const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 250, equipmentId: 'E0025000123456789' });
  good.connectMeter(meter);
  backend.plug(good);
  backend.plug(new NoPermissionFtdi({ productId: 0x6015, bcdDevice: 0x1000, serialNumber: 'DENIED01' }));
  const spare = new SimulatedFtdi({ serialNumber: 'SPARE022' });
  const oldMeter = new SimulatedDsmrMeter({ version: '2.2', intervalMs: 200 });
  spare.connectMeter(oldMeter);
  backend.plug(spare);
  const services = await composeServices({
    dataDir,
    host: 'browser',
    version: '0.1.0',
    meter: 'A50285BI',
    // No chain is needed on this page: an endpoint that answers nothing keeps demo mode's from starting.
    settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' },
    parts: { usbBackend: backend, serialPorts: async () => [], logger: silentLogger },
  });
  const host = await BrowserHost.start({ dispatch: services.dispatch, bus: services.bus, rendererDir: join(root, 'out', 'renderer'), logger: silentLogger });
  process.stdout.write(`Wattlet is running at ${host.launchUrl}\nData folder: ${dataDir}\n`);
  const stop = async () => {
    try {
      await host.close();
      await services.dispose();
    } finally {
      meter.detach();
      oldMeter.detach();
      backend.dispose();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop());
}

interface Running {
  launchUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts this file as the host under tsx and waits for its address line. */
async function start(): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'diagnostics.spec.ts')], {
    cwd: root,
    env: { ...process.env, WATTLET_DIAG_SERVE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<{ launchUrl: string; dataDir: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`host did not start:\n${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const m = /Wattlet is running at (\S+)\nData folder: (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ launchUrl: m[1]!, dataDir: m[2]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => rej(new Error(`host exited:\n${out}`)));
  });
  return {
    ...ready,
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

if (process.env.WATTLET_DIAG_SERVE) await serve();
else defineTests();

function defineTests(): void {
  let running: Running;
  test.beforeEach(async () => {
    running = await start();
  });
  test.afterEach(async () => {
    await running.stop();
  });

  test('the page shows the USB tree, the link, live frames, findings, the probe and the bundle', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(running.launchUrl);
    await page.locator('nav a[data-page="diagnostics"]').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diagnostics');

    // USB devices: both cables, with family and access state, in a table with headers.
    const usb = page.getByTestId('usb-table');
    await expect(usb.getByRole('columnheader', { name: 'VID:PID' })).toBeVisible();
    await expect(usb.locator('tr[data-access="permission-denied"]')).toContainText('0403:6015');
    await expect(usb.locator('tr[data-access="in-use"]')).toContainText('ftdi');

    // Findings: the denied cable's udev command, exactly.
    await expect(page.locator('[data-code="PERMISSION_DENIED"]')).toBeVisible();
    await expect(page.getByTestId('finding-command')).toHaveText(
      `sudo cp ${RULE} /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`,
    );

    // The page leads with the findings; the frame log waits behind its toggle.
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings.slice(0, 3)).toEqual(['Findings', 'Auto-probe', 'Support bundle']);
    await expect(page.getByTestId('frames-table')).toHaveCount(0);
    await page.getByTestId('frames-toggle').click();
    await expect(page.getByTestId('frames-toggle')).toHaveAttribute('aria-expanded', 'true');
    // Live frame log: decoded DSMR telegrams arrive; pause holds them back and says so.
    await expect(page.getByTestId('frames-table').locator('tbody tr[data-seq]').first()).toBeVisible();
    // One Tab stop for the whole log (it scrolls with the arrow keys), none in its cells.
    await page.getByTestId('frames-log').focus();
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement?.closest('[data-testid="frames-log"]') !== null);
    expect(next).toBe(false);
    await expect(page.getByTestId('frames-table')).toContainText('reading meter');
    await page.getByTestId('frames-pause').click();
    await expect(page.getByTestId('frames-pause')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('frames-status')).toContainText(/Paused: [1-9]\d* new frame/);
    await page.getByTestId('frames-pause').click();
    await page.getByTestId('frames-filter').fill('no-such-thing');
    await expect(page.getByTestId('frames-table')).toContainText('No frames yet.');
    await page.getByTestId('frames-filter').fill('');

    // Link panel after a refresh: counters from the session.
    await page.getByTestId('diagnostics-refresh').click();
    await expect(page.getByTestId('link-state')).toHaveText('Open');
    await expect(page.getByTestId('link-frames-ok')).not.toHaveText('0');

    // Bundle: a summary first (sections, sizes, what was removed) with the focus on it; the raw
    // JSON behind a toggle is the saved object and holds neither serial nor meter id.
    await page.getByTestId('bundle-preview').click();
    await expect(page.getByTestId('bundle-summary')).toBeFocused();
    await expect(page.getByTestId('bundle-summary')).toContainText(/The bundle holds \d+ sections/);
    await expect(page.getByTestId('bundle-removed')).toContainText('meter and cable serial numbers ×');
    await expect(page.getByTestId('bundle-sections').locator('tr[data-section="frames"]')).toContainText('Meter frames');
    await expect(page.getByTestId('bundle-json')).toHaveCount(0);
    await page.getByTestId('bundle-json-toggle').click();
    const preview = page.getByTestId('bundle-json');
    await expect(preview).toContainText('wattlet-support-bundle/1');
    const shown = await preview.textContent();
    for (const secret of ['A50285BI', 'DENIED01', 'SPARE022', 'E0025000123456789']) expect(shown).not.toContain(secret);
    // In the browser host the bundle is a download (the person's browser asks where, or files it
    // in Downloads), never a file quietly written into the data folder.
    const download = page.waitForEvent('download');
    await page.getByTestId('bundle-save').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^wattlet-support-.*\.json\.gz$/);
    await expect(page.getByTestId('bundle-status')).toContainText(`Downloaded ${file.suggestedFilename()}`);
    expect(JSON.parse(gunzipSync(readFileSync((await file.path())!)).toString('utf8'))).toEqual(JSON.parse(shown!));
    expect(existsSync(join(running.dataDir, 'support'))).toBe(false);
    expect(errors).toEqual([]);
  });

  test('the auto-probe reports each attempt, and the page speaks Chinese', async ({ page }) => {
    await page.goto(running.launchUrl);
    await page.locator('nav a[data-page="diagnostics"]').click();
    await page.getByLabel('Adapter to probe').selectOption('0403:6001:SPARE022');
    await page.getByTestId('probe-start').click();
    await expect(page.getByTestId('probe-status')).toContainText('Found dsmr at 9600 7E1', { timeout: 30_000 });
    await expect(page.getByTestId('probe-attempts').locator('tbody tr')).toHaveCount(3); // dsmr 115200, sml 9600, dsmr 9600 7E1
    await expect(page.getByTestId('probe-attempts').locator('tbody tr[data-outcome="ok"]')).toHaveCount(1);
    await expect(page.locator('[data-code="PROBE_FOUND"]')).toBeVisible();

    await page.getByTestId('language').selectOption('zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('诊断');
    await expect(page.locator('[data-code="PERMISSION_DENIED"] h3')).toContainText('没有权限打开电表数据线');
    // The USB backend in words too, not its identifier (it was "USB 后端：simulated").
    await expect(page.getByText('USB 后端：模拟设备（演示模式）')).toBeAttached();
  });
}
