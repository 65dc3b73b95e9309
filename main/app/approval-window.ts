import { BrowserWindow, ipcMain, type WebContents } from 'electron';
import type { ApprovalSurface } from '../wallet/approval-surface.js';
import { ApprovalPrompts, type PromptWindow } from './approval-prompts.js';
import { senderFacts } from './ipc-sender.js';
import { secureWebPreferences } from './web-preferences.js';

// Must match preload/approval.ts (kept as literals there: the sandboxed preload bundles alone).
export const IPC_APPROVAL_GET = 'wattlet-approval:get-request';
export const IPC_APPROVAL_DECIDE = 'wattlet-approval:decide';

export interface ApprovalWindowOptions {
  /** The main window, as the modal's parent (null while it is closed). */
  readonly parent: () => BrowserWindow | null;
  /** out/preload/approval.cjs: exposes only get-request/approve/reject to this window. */
  readonly preload: string;
  /** Whether DevTools may open (development only). */
  readonly devTools: boolean;
  /** Called with each new window's contents before it loads, to pin it to the approval origin. */
  readonly pin: (contents: WebContents) => void;
}

/**
 * The Electron shell of the approval surface (the decisions are in approval-prompts.ts): a
 * separate modal window owned by the main process, with its own minimal preload, showing
 * wattlet-app://approval/approve.html — another origin than the main window's. The main window's
 * scripts have no handle on it, and its IPC answers only this window's top frame on that page.
 */
export class ApprovalWindow {
  readonly #prompts: ApprovalPrompts<WebContents>;

  constructor(private readonly options: ApprovalWindowOptions) {
    this.#prompts = new ApprovalPrompts(() => this.#create());
    ipcMain.handle(IPC_APPROVAL_GET, (event) => this.#prompts.request(senderFacts(event)));
    ipcMain.handle(IPC_APPROVAL_DECIDE, (event, id: unknown, decision: unknown) => this.#prompts.decide(senderFacts(event), id, decision));
  }

  get surface(): ApprovalSurface & { reveal(): boolean } {
    return this.#prompts.surface;
  }

  #create(): PromptWindow<WebContents> {
    const parent = this.options.parent();
    const win = new BrowserWindow({
      ...(parent && !parent.isDestroyed() ? { parent, modal: true } : {}),
      width: 560,
      height: 720,
      show: false,
      title: 'Wattlet — approve',
      autoHideMenuBar: true,
      minimizable: false,
      webPreferences: secureWebPreferences(this.options.preload, this.options.devTools),
    });
    this.options.pin(win.webContents);
    return {
      contents: win.webContents,
      isDestroyed: () => win.isDestroyed(),
      isMinimized: () => win.isMinimized(),
      restore: () => win.restore(),
      show: () => win.show(),
      focus: () => win.focus(),
      close: () => win.close(),
      onceReadyToShow: (listener) => win.once('ready-to-show', listener),
      onClosed: (listener) => win.on('closed', listener),
      load: (url) => win.loadURL(url),
    };
  }

  dispose(): void {
    this.#prompts.dispose();
    ipcMain.removeHandler(IPC_APPROVAL_GET);
    ipcMain.removeHandler(IPC_APPROVAL_DECIDE);
  }
}
