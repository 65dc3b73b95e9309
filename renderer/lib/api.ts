import { createClient } from '../../main/api/client.js';
import type { WattletApi } from '../../main/api/contract.js';
import { BrowserTransport } from './browser-client.js';
import { connection } from './connection.svelte.js';

declare global {
  interface Window {
    /** Exposed by preload/ under Electron; absent in a plain browser. */
    wattlet?: WattletApi;
  }
}

function browserApi(): WattletApi {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('wattlet.token') ?? '';
  // Keep the token for reloads of this tab, and take it out of the address bar.
  if (token) sessionStorage.setItem('wattlet.token', token);
  if (location.hash.includes('token=')) history.replaceState(null, '', location.pathname + location.search);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const transport = new BrowserTransport(url, (up) => connection.set(up));
  const api = createClient(transport);
  // The same object as the preload's, so the renderer cannot tell which host it runs under.
  Object.defineProperty(window, 'wattlet', { value: api, writable: false, configurable: false });
  return api;
}

/** The one door to the main process. Pages use it through their store modules. */
export const api: WattletApi = window.wattlet ?? browserApi();
if (window.wattlet && !connection.connected) connection.set(true);
