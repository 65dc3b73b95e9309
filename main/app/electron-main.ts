import { join } from 'node:path';
import { app, BrowserWindow, dialog, protocol, type WebContents } from 'electron';
import { appVersion, projectRoot } from '../app-paths.js';
import { composeServices, type Services } from '../compose.js';
import { composeOptionsOf, launchUsage, parseLaunchOptions, type LaunchOptions } from '../launch-options.js';
import { APP_SCHEME, MAIN_PAGE_URL } from './app-origin.js';
import { appScheme, createAppProtocolHandler } from './app-protocol.js';
import { ApprovalWindow } from './approval-window.js';
import { registerIpc } from './ipc.js';
import { electronLaunchArgv } from './launch-argv.js';
import { guardNavigation } from './navigation-guard.js';
import { electronNotifier } from './os-notifications.js';
import { secureWebPreferences } from './web-preferences.js';
import { WindowOrigins } from './window-origins.js';
import { focus, hardenSession } from './window-security.js';

// The Electron host: the only code that imports `electron` (with approval-window.ts, ipc.ts,
// os-notifications.ts and window-security.ts). Every decision it wires is a pure function beside it.

function refuseToStart(message: string): never {
  process.stderr.write(`wattlet: ${message}\n`);
  // Callable before `ready`; the person may have started the app without a terminal.
  dialog.showErrorBox('Wattlet', message);
  app.exit(2);
  process.exit(2);
}

function launchOptions(): LaunchOptions {
  const argv = electronLaunchArgv(process.argv, app.isPackaged);
  if (!argv.ok) refuseToStart(argv.message);
  try {
    return parseLaunchOptions(argv.args);
  } catch (e) {
    refuseToStart(`${e instanceof Error ? e.message : String(e)}\n\n${launchUsage}`);
  }
}

const options = launchOptions();
// Chromium reads its switches itself, also in the -name spelling: ask it too (no fuse covers
// remote debugging; see launch-argv.ts).
if (app.isPackaged && (app.commandLine.hasSwitch('remote-debugging-port') || app.commandLine.hasSwitch('remote-debugging-pipe'))) {
  refuseToStart('Wattlet does not start with remote debugging: no other program may script its windows.');
}
if (options.help) {
  process.stdout.write(launchUsage);
  app.exit(0);
}

// Must happen before `ready`: the app's pages come from wattlet-app://, never file://.
protocol.registerSchemesAsPrivileged([appScheme]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const root = projectRoot();
  const devTools = !app.isPackaged;
  const origins = new WindowOrigins<WebContents>();
  let window: BrowserWindow | null = null;
  let approvals: ApprovalWindow | null = null;
  let services: Services | null = null;
  let unregister: (() => void) | null = null;
  const notifier = electronNotifier(() => window);

  app.on('second-instance', () => {
    // Starting Wattlet again brings it forward, and with it a waiting approval.
    focus(window);
    approvals?.surface.reveal();
  });
  // Every web contents, also those created later, is kept on the origin it was pinned to; one
  // nobody pinned may go nowhere.
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, (url) => origins.allows(contents, url)));

  app.whenReady().then(async () => {
    hardenSession();
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(root, 'out', 'renderer')));
    // Signatures are approved in a separate modal window, on its own origin, with its own preload.
    approvals = new ApprovalWindow({
      parent: () => window,
      preload: join(root, 'out', 'preload', 'approval.cjs'),
      devTools,
      pin: (contents) => origins.assign(contents, 'approval'),
    });
    services = await composeServices({
      approval: approvals.surface,
      osNotifier: notifier,
      chooseSavePath: async (suggestedName) => {
        const answer = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), suggestedName) });
        return answer.canceled || !answer.filePath ? null : answer.filePath;
      },
      dataDir: options.dataDir ?? app.getPath('userData'),
      host: 'electron',
      version: appVersion(root),
      ...composeOptionsOf(options),
    });
    window = new BrowserWindow({
      width: 1200,
      height: 800,
      show: false,
      title: 'Wattlet',
      webPreferences: secureWebPreferences(join(root, 'out', 'preload', 'index.cjs'), devTools),
    });
    origins.assign(window.webContents, 'app');
    unregister = registerIpc(services.dispatch, services.bus, () => window);
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    await window.loadURL(MAIN_PAGE_URL);
  }).catch((e: unknown) => {
    // A start that failed half-way must say so and end, not leave a process without a window.
    dialog.showErrorBox('Wattlet', `Wattlet could not start: ${e instanceof Error ? e.message : String(e)}`);
    app.exit(1);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Release devices and listeners before the process ends (crash-on-quit reports exist for `usb`).
    if (!services) return;
    event.preventDefault();
    const s = services;
    services = null;
    unregister?.();
    approvals?.dispose();
    notifier.dispose();
    void s.dispose().finally(() => app.exit(0));
  });
}
