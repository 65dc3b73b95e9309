/**
 * The browser host: the contract served over a WebSocket, and the built renderer over HTTP, on
 * 127.0.0.1 behind a per-launch token (host-main.ts is its entry, `npm start` where Electron's
 * runtime is not installed).
 *
 *   BrowserHost            HTTP + WebSocket; refuses a foreign Host (421), an unreadable target
 *                          (400), a missing token or foreign Origin; a malformed frame closes only
 *                          its socket; refusals are logged at a bounded rate (RefusalLog)
 *   ApprovalRoute          the approval page at /approve/<one-time token>: the wallet's surface
 *   fileApprovalDelivery   hands an approval's address over in a 0600 file opened by path
 *   HandoffFolder          the 0700 folder of those files (also the launch address's)
 *
 * A token never goes into a process's argv, onto stdout or over the main window's socket.
 */
export { BrowserHost, MAX_MESSAGE_BYTES, type BrowserHostOptions } from './browser-host.js';
export { ApprovalRoute, type ApprovalRouteOptions } from './approval-route.js';
export { callbackDelivery, fileApprovalDelivery, type ApprovalDelivery } from './approval-delivery.js';
export { HandoffFolder, redirectPage, redirectTarget } from './handoff-folder.js';
export { hasDisplay, openFile } from './open-browser.js';
export { RefusalLog } from './refusal-log.js';
export type { HttpRoute } from './http-route.js';
