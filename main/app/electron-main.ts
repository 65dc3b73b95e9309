import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog } from 'electron';
import { appVersion, projectRoot } from '../app-paths.js';
import { composeServices, type Services } from '../compose.js';
import { launchUsage, parseLaunchOptions } from '../launch-options.js';
import { ApprovalWindow } from './approval-window.js';
import { registerIpc } from './ipc.js';
import { focus, hardenContents, hardenSession, secureWebPreferences } from './window-security.js';

// The Electron host: the only code that imports `electron` (with approval-window.ts).
const options = parseLaunchOptions(process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect')));
if (options.help) {
  process.stdout.write(launchUsage);
  app.exit(0);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const root = projectRoot();
  const rendererIndex = join(root, 'out', 'renderer', 'index.html');
  const appUrlPrefix = pathToFileURL(join(root, 'out', 'renderer')).href;
  const isAppUrl = (url: string) => url.startsWith(appUrlPrefix);
  let window: BrowserWindow | null = null;
  let services: Services | null = null;
  let unregister: (() => void) | null = null;

  app.on('second-instance', () => focus(window));
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAppUrl));

  app.whenReady().then(async () => {
    hardenSession();
    // Signatures are approved in a separate modal window with its own minimal preload.
    const approvals = new ApprovalWindow({
      parent: () => window,
      preload: join(root, 'out', 'preload', 'approval.cjs'),
      page: join(root, 'out', 'renderer', 'approve.html'),
    });
    services = await composeServices({
      approval: approvals.surface,
      chooseSavePath: async (suggestedName) => {
        const answer = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), suggestedName) });
        return answer.canceled || !answer.filePath ? null : answer.filePath;
      },
      dataDir: options.dataDir ?? app.getPath('userData'),
      host: 'electron',
      meter: options.meter,
      demoDays: options.demoDays,
      version: appVersion(root),
      settingsOverrides: {
        ...(options.rpcUrl ? { rpcUrl: options.rpcUrl } : {}),
        ...(options.contract ? { contractAddress: options.contract } : {}),
      },
    });
    window = new BrowserWindow({
      width: 1200,
      height: 800,
      show: false,
      title: 'Wattlet',
      webPreferences: secureWebPreferences(join(root, 'out', 'preload', 'index.cjs')),
    });
    unregister = registerIpc(services.dispatch, services.bus, () => window, isAppUrl);
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    await window.loadFile(rendererIndex);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Release devices and listeners before the process ends (crash-on-quit reports exist for `usb`).
    if (!services) return;
    event.preventDefault();
    const s = services;
    services = null;
    unregister?.();
    void s.dispose().finally(() => app.exit(0));
  });
}
