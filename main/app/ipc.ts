import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';

export const IPC_CALL = 'wattlet:call';
export const IPC_EVENT = 'wattlet:event';

/**
 * The contract over Electron IPC. Every call checks that it comes from the main window's top
 * frame showing the app's own page: an injected iframe or a navigated-away page gets nothing.
 */
export function registerIpc(
  dispatch: Dispatch,
  bus: EventBus,
  window: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
    const win = window();
    const frame = event.senderFrame;
    const trusted = win !== null && event.sender === win.webContents && frame !== null && frame === win.webContents.mainFrame && isAppUrl(frame.url);
    if (!trusted) {
      return { ok: false, error: { code: 'CHANNEL_UNKNOWN', message: 'Untrusted sender', facts: {} } };
    }
    return dispatch(String(channel), request, { host: 'electron' });
  });
  const unsubscribe = bus.subscribeAll((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
