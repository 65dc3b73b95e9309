import { pathToFileURL } from 'node:url';
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApprovalView } from '../api/wallet.js';
import type { ApprovalDecision, ApprovalSurface } from '../wallet/approval-surface.js';
import { secureWebPreferences } from './window-security.js';

// Must match preload/approval.ts (kept as literals there: the sandboxed preload bundles alone).
export const IPC_APPROVAL_GET = 'wattlet-approval:get-request';
export const IPC_APPROVAL_DECIDE = 'wattlet-approval:decide';

export interface ApprovalWindowOptions {
  /** The main window, as the modal's parent (null while it is closed). */
  readonly parent: () => BrowserWindow | null;
  /** out/preload/approval.cjs: exposes only get-request/approve/reject to this window. */
  readonly preload: string;
  /** out/renderer/approve.html. */
  readonly page: string;
}

interface Open {
  readonly win: BrowserWindow;
  readonly view: ApprovalView;
  readonly decide: (d: ApprovalDecision) => void;
}

/**
 * Electron's approval surface: a separate modal window owned by the main process, with its own
 * minimal preload. The main window's scripts have no handle on it and its IPC answers only this
 * window's top frame showing approve.html, so nothing in the main window can read the request
 * through it or decide it. One window per prompt; the queue guarantees one prompt at a time.
 */
export class ApprovalWindow {
  #open: Open | null = null;
  readonly #pageUrl: string;

  constructor(private readonly options: ApprovalWindowOptions) {
    this.#pageUrl = pathToFileURL(options.page).href;
    ipcMain.handle(IPC_APPROVAL_GET, (event) => {
      const open = this.#trusted(event);
      return open ? open.view : null;
    });
    ipcMain.handle(IPC_APPROVAL_DECIDE, (event, id: unknown, decision: unknown) => {
      const open = this.#trusted(event);
      // The id binds the decision to the request this window displayed.
      if (!open || id !== open.view.id || (decision !== 'approve' && decision !== 'reject')) return false;
      open.decide(decision);
      return true;
    });
  }

  readonly surface: ApprovalSurface = {
    present: (view, signal) =>
      new Promise<ApprovalDecision>((resolve) => {
        const parent = this.options.parent();
        const win = new BrowserWindow({
          ...(parent && !parent.isDestroyed() ? { parent, modal: true } : {}),
          width: 560,
          height: 720,
          show: false,
          title: 'Wattlet — approve',
          autoHideMenuBar: true,
          minimizable: false,
          webPreferences: secureWebPreferences(this.options.preload),
        });
        let settled = false;
        const decide = (d: ApprovalDecision) => {
          if (settled) return;
          settled = true;
          if (this.#open?.win === win) this.#open = null;
          if (!win.isDestroyed()) win.close();
          resolve(d);
        };
        this.#open = { win, view, decide };
        // Closing the window without a decision is a rejection, never an approval.
        win.on('closed', () => decide('reject'));
        signal.addEventListener('abort', () => decide('reject'), { once: true });
        win.once('ready-to-show', () => {
          win.show();
          win.focus();
        });
        void win.loadFile(this.options.page).catch(() => decide('reject'));
      }),
  };

  #trusted(event: IpcMainInvokeEvent): Open | null {
    const open = this.#open;
    if (!open || open.win.isDestroyed()) return null;
    const frame = event.senderFrame;
    const ok =
      event.sender === open.win.webContents &&
      frame !== null &&
      frame === open.win.webContents.mainFrame &&
      frame.url.split('#')[0] === this.#pageUrl;
    return ok ? open : null;
  }

  dispose(): void {
    this.#open?.decide('reject');
    ipcMain.removeHandler(IPC_APPROVAL_GET);
    ipcMain.removeHandler(IPC_APPROVAL_DECIDE);
  }
}
