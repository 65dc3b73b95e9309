import type { WebPreferences } from 'electron';

/**
 * The web preferences of every Wattlet window: sandboxed renderer, isolated preload world, no
 * Node, no webviews, no insecure content. DevTools only in development: in a packaged app no one
 * can be talked into pasting a script into the console of the window that asks for signatures.
 */
export const secureWebPreferences = (preload: string, devTools: boolean): WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools,
});
