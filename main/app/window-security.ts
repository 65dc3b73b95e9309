import { session, type BrowserWindow } from 'electron';
import { withCsp } from './app-protocol.js';

/**
 * Session-wide hardening: every response keeps the CSP its origin was served with or gets one
 * that allows nothing, and every permission request is denied (camera, geolocation,
 * notifications, HID/serial/USB from the renderer: the main process owns hardware). Navigation
 * and new windows are guarded per web contents (navigation-guard.ts).
 */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

export function focus(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}
