import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import type { Dispatch } from '../../main/api/dispatcher.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { WattletError } from '../../main/api/errors.js';
import { composeServices, type Services } from '../../main/compose.js';
import {
  DetectProber,
  DiagnosticsService,
  diagnosticsHandlers,
  FrameLog,
  LinkMonitor,
  observePort,
  RecentErrors,
  recordingDispatch,
  SessionLinkSource,
  usbListingFromBackend,
} from '../../main/diagnostics/index.js';
import { BrowserHost } from '../../main/host/browser-host.js';
import { silentLogger } from '../../main/logging/logger.js';
import { detectMeter } from '../../main/meter/detect/index.js';
import { LINE_8N1_115200, type MeterProtocol } from '../../main/meter/index.js';
import { createDecoder } from '../../main/meter/protocols/create-decoder.js';
import { MeterSession } from '../../main/meter/session/index.js';
import { SimulatedFtdi } from '../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { MeterDiscovery, usbSerialPort } from '../../main/meter/usb/index.js';

// The Diagnostics page against real main-process services in the browser host: a simulated FTDI
// cable with a DSMR 5 meter read by the real MeterSession, plus a second cable the user may not
// open. The diagnostics part is wired here the way the composition root wires it.

const root = resolve(import.meta.dirname, '..', '..');
const RULE = '/opt/Wattlet/resources/udev/99-wattlet.rules';

class NoPermissionFtdi extends SimulatedFtdi {
  override async open(): Promise<void> {
    throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
  }
}

interface Running {
  host: BrowserHost;
  dataDir: string;
  stop(): Promise<void>;
}

async function start(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wattlet-e2e-diag-'));
  const services: Services = await composeServices({ dataDir, host: 'browser', mode: 'demo', version: '0.1.0', logger: silentLogger });
  const backend = new SimulatedUsbBackend();
  const good = new SimulatedFtdi({ serialNumber: 'A50285BI' });
  const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 250, equipmentId: 'E0025000123456789' });
  good.connectMeter(meter);
  backend.plug(good);
  backend.plug(new NoPermissionFtdi({ productId: 0x6015, bcdDevice: 0x1000, serialNumber: 'DENIED01' }));
  // A third cable on an old DSMR 2.2 meter (9600 7E1), free for the auto-probe.
  const spare = new SimulatedFtdi({ serialNumber: 'SPARE022' });
  const oldMeter = new SimulatedDsmrMeter({ version: '2.2', intervalMs: 200 });
  spare.connectMeter(oldMeter);
  backend.plug(spare);
  const discovery = new MeterDiscovery({ backend, platform: 'linux' });
  const deviceId = discovery.describe(good).id;
  const frameLog = new FrameLog();
  const errors = new RecentErrors();
  const monitor = new LinkMonitor({ tap: frameLog });
  const openDevice = async (id: string | null) => {
    const d = (await backend.getDevices()).find((x) => (id ? discovery.describe(x).id === id : x === good));
    if (!d) throw new WattletError('METER_DEVICE_GONE', 'not plugged in', { deviceId: id });
    return usbSerialPort(d);
  };
  const session: MeterSession = new MeterSession({
    openPort: async () =>
      observePort(await openDevice(deviceId), monitor, {
        deviceId,
        protocol: () => session.status().protocol,
        decoder: (p, l) => createDecoder(p as MeterProtocol, l),
      }),
    target: { protocol: 'dsmr', line: LINE_8N1_115200 },
    backoff: { initialMs: 100, maxMs: 500 },
  });
  const link = new SessionLinkSource(session, monitor, { deviceId });
  const diagnostics = new DiagnosticsService({
    usb: usbListingFromBackend(backend, discovery),
    link,
    frameLog,
    recentErrors: errors,
    prober: new DetectProber({ openPort: openDevice, detect: detectMeter, options: { listenMs: 800, probeMs: 300 } }),
    appInfo: () => ({ name: 'Wattlet', version: '0.1.0', host: 'browser', mode: 'demo', dataDir }),
    settings: () => services.settings.get(),
    meterIds: () => monitor.meterIds,
    udevRulePath: RULE,
    bundleDir: join(dataDir, 'support'),
    platform: 'linux',
    onFrame: (e) => services.bus.emit('diagnostics.frame', e),
    onProbeProgress: (r) => services.bus.emit('diagnostics.probeProgress', r),
  });
  const diag = createDispatcher(diagnosticsHandlers(diagnostics));
  const dispatch: Dispatch = recordingDispatch(
    (channel, request, ctx) => (channel.startsWith('diagnostics.') ? diag(channel, request, ctx) : services.dispatch(channel, request, ctx)),
    errors,
  );
  session.start();
  const host = await BrowserHost.start({ dispatch, bus: services.bus, rendererDir: join(root, 'out', 'renderer'), logger: silentLogger });
  return {
    host,
    dataDir,
    async stop() {
      await host.close();
      await session.dispose();
      link.dispose();
      await diagnostics.dispose();
      await discovery.dispose();
      meter.detach();
      oldMeter.detach();
      backend.dispose();
      await services.dispose();
    },
  };
}

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
  await page.goto(running.host.launchUrl);
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

  // Live frame log: decoded DSMR telegrams arrive; pause holds them back and says so.
  await expect(page.getByTestId('frames-table').locator('tbody tr[data-seq]').first()).toBeVisible();
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

  // Bundle: the preview is the saved object, and holds neither serial nor meter id.
  await page.getByTestId('bundle-preview').click();
  const preview = page.getByTestId('bundle-json');
  await expect(preview).toContainText('wattlet-support-bundle/1');
  const shown = await preview.textContent();
  for (const secret of ['A50285BI', 'DENIED01', 'E0025000123456789', running.dataDir]) expect(shown).not.toContain(secret);
  await page.getByTestId('bundle-save').click();
  await expect(page.getByTestId('bundle-status')).toContainText('Saved');
  const file = (await page.getByTestId('bundle-status').textContent())!.match(/Saved (\S+\.json\.gz)/)![1]!;
  expect(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))).toEqual(JSON.parse(shown!));
  expect(errors).toEqual([]);
});

test('the auto-probe reports each attempt, and the page speaks Chinese', async ({ page }) => {
  await page.goto(running.host.launchUrl);
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
});
