import { join } from 'node:path';
import { WattletError } from '../api/errors.js';
import { appVersion, projectRoot } from '../app-paths.js';
import { composeServices, type Services } from '../compose.js';
import { composeOptionsOf, launchUsage, parseLaunchOptions } from '../launch-options.js';
import { defaultDataDir } from '../settings/data-dir.js';
import { fileApprovalDelivery } from './approval-delivery.js';
import { ApprovalRoute } from './approval-route.js';
import { BrowserHost } from './browser-host.js';
import { HandoffFolder } from './handoff-folder.js';
import { hasDisplay, openFile } from './open-browser.js';

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
// Addresses with a token (the launch URL, each approval page's) reach the person only through
// 0600 files in here, opened by path: never argv, never stdout. Files of an earlier launch are dead.
const handoff = new HandoffFolder(join(dataDir, 'handoff'));
handoff.clear();
const open = (path: string) => hasDisplay() && openFile(path);
// Signatures are approved on a separate page whose one-time address goes to the person through a
// handoff file (opened in the default browser), never to the main window.
const approvals = new ApprovalRoute({
  rendererDir,
  origin: () => host?.url ?? null,
  delivery: fileApprovalDelivery({ folder: handoff, open, print: (line) => process.stdout.write(`${line}\n`) }),
});
let services: Services;
try {
  services = await composeServices({
    approval: approvals.surface,
    dataDir,
    host: 'browser',
    version: appVersion(root),
    ...composeOptionsOf(options),
  });
} catch (e) {
  // A bad option (an RPC URL that is not http(s), a data folder that cannot be made) is the
  // person's to fix: one line with its code, the usage, no stack. Anything else is a defect and
  // keeps its stack.
  if (!(e instanceof WattletError)) throw e;
  approvals.dispose();
  process.stderr.write(`wattlet: ${e.message} (${e.code})\n\n${launchUsage}`);
  process.exit(2);
}
host = await BrowserHost.start({
  dispatch: services.dispatch,
  bus: services.bus,
  rendererDir,
  logger: services.logger,
  port: options.port,
  routes: [approvals.route],
});

const launchFile = handoff.write('launch', host.launchUrl);
process.stdout.write(`Wattlet is running at ${host.url}\n`);
process.stdout.write(`Open ${handoff.fileUrl('launch')} in your browser (only you can read it: it holds this launch's access token)\n`);
process.stdout.write(`Data folder: ${dataDir}\n`);
if (options.open) open(launchFile);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host?.close();
  approvals.dispose();
  handoff.remove('launch');
  await services.dispose();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
