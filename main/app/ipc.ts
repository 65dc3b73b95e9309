import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';
import { isAppUrl } from './app-origin.js';
import { isTrustedSender, senderFacts } from './ipc-sender.js';

export const IPC_CALL = 'wattlet:call';
export const IPC_EVENT = 'wattlet:event';

/**
 * The contract over Electron IPC. Every call checks that it comes from the main window's top
 * frame while it shows the app's own origin (wattlet-app://app, compared exactly): an injected
 * iframe, another window or a navigated-away page gets nothing.
 */
export function registerIpc(dispatch: Dispatch, bus: EventBus, window: () => BrowserWindow | null): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
    const win = window();
    const expected = win && !win.isDestroyed() ? win.webContents : null;
    if (!isTrustedSender(senderFacts(event), expected, isAppUrl)) {
      return { ok: false, error: { code: 'CHANNEL_UNKNOWN', message: 'Untrusted sender', facts: {} } };
    }
    return dispatch(String(channel), request, { host: 'electron' });
  });
  const forwarding = bus.subscribeAll((name, payload) => {
    const win = window();
    // Events go only to the app's own page, never to whatever a frame navigated to.
    if (win && !win.isDestroyed() && isAppUrl(win.webContents.getURL())) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    forwarding.dispose();
  };
}
