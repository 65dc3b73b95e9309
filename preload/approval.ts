import { contextBridge, ipcRenderer } from 'electron';

// The approval window's preload: `window.wattletApproval` with three functions and nothing else.
// The main window never loads this file; main/app/approval-window.ts answers only the approval
// window's own frame. Channel names match main/app/approval-window.ts.
const GET = 'wattlet-approval:get-request';
const DECIDE = 'wattlet-approval:decide';

contextBridge.exposeInMainWorld('wattletApproval', {
  getRequest: (): Promise<unknown> => ipcRenderer.invoke(GET),
  approve: (id: string): Promise<boolean> => ipcRenderer.invoke(DECIDE, String(id), 'approve'),
  reject: (id: string): Promise<boolean> => ipcRenderer.invoke(DECIDE, String(id), 'reject'),
});
