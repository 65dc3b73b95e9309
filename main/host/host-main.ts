import { join } from 'node:path';
import { appVersion, projectRoot } from '../app-paths.js';
import { composeServices } from '../compose.js';
import { launchUsage, parseLaunchOptions } from '../launch-options.js';
import { defaultDataDir } from '../settings/data-dir.js';
import { ApprovalRoute } from './approval-route.js';
import { BrowserHost } from './browser-host.js';
import { hasDisplay, openBrowser } from './open-browser.js';

// Entry of the browser host (`npm start` where Electron's runtime is not installed).
let options;
try {
  options = parseLaunchOptions(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${launchUsage}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(launchUsage);
  process.exit(0);
}

const root = projectRoot();
const dataDir = options.dataDir ?? defaultDataDir();
const rendererDir = join(root, 'out', 'renderer');
let host: BrowserHost | null = null;
// Signatures are approved on a separate page whose one-time address goes to the terminal (and the
// default browser), never to the main window.
const approvals = new ApprovalRoute({ rendererDir, origin: () => host?.url ?? null });
const services = await composeServices({
  approval: approvals.surface,
  dataDir,
  host: 'browser',
  meter: options.meter,
  demoDays: options.demoDays,
  version: appVersion(root),
  settingsOverrides: {
    ...(options.rpcUrl ? { rpcUrl: options.rpcUrl } : {}),
    ...(options.contract ? { contractAddress: options.contract } : {}),
  },
});
host = await BrowserHost.start({
  dispatch: services.dispatch,
  bus: services.bus,
  rendererDir,
  logger: services.logger,
  port: options.port,
  routes: [approvals.route, ...services.routes],
});

process.stdout.write(`Wattlet is running at ${host.launchUrl}\n`);
process.stdout.write(`Data folder: ${dataDir}\n`);
if (options.open && hasDisplay()) openBrowser(host.launchUrl);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host?.close();
  approvals.dispose();
  await services.dispose();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
