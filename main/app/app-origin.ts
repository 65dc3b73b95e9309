/**
 * Where the Electron app's pages live: `wattlet-app://app/` for the main window and
 * `wattlet-app://approval/` for the approval window, both served from out/renderer by
 * app-protocol.ts. Two hosts make two origins (and two sites), so the main window shares no
 * storage, BroadcastChannel or renderer process with the page where signatures are approved.
 *
 * Every trust decision (navigation, new windows, IPC senders) compares parsed URL parts for
 * equality with one of these origins, never a string prefix: `file:///…/renderer-evil/` once
 * passed a prefix check, and `wattlet-app://app.evil/`, `wattlet-app://app@evil/` or
 * `wattlet-app://evil@app/` must not pass this one.
 */
export const APP_SCHEME = 'wattlet-app';

export type AppHost = 'app' | 'approval';

const hosts: readonly AppHost[] = ['app', 'approval'];

export const MAIN_ORIGIN = `${APP_SCHEME}://app`;
export const APPROVAL_ORIGIN = `${APP_SCHEME}://approval`;
export const MAIN_PAGE_URL = `${MAIN_ORIGIN}/index.html`;
export const APPROVAL_PAGE_URL = `${APPROVAL_ORIGIN}/approve.html`;

/** The page each host may serve as a document; every other .html file is refused there. */
export const HOST_PAGE: Readonly<Record<AppHost, string>> = { app: 'index.html', approval: 'approve.html' };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The app host a URL belongs to, or null. Exact scheme, exact host (Chromium hands us canonical,
 * lower-case hosts, so anything else is not ours), no port, no user name or password.
 */
export function appHostOf(url: string): AppHost | null {
  const u = parse(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.port !== '' || u.username !== '' || u.password !== '') return null;
  // Node's URL gives custom schemes an opaque host and the origin "null", so compare the host.
  return hosts.find((h) => h === u.host) ?? null;
}

/** Whether `url` is on exactly the origin of `host`. */
export function isOnAppOrigin(url: string, host: AppHost): boolean {
  return appHostOf(url) === host;
}

/** Whether `url` is on the main window's origin: the navigation and IPC check of the main window. */
export const isAppUrl = (url: string): boolean => isOnAppOrigin(url, 'app');

/**
 * Whether `url` is exactly `page` (an absolute page URL on one of the app origins): same origin,
 * same path, no query; a fragment is allowed (routers use it).
 */
export function isExactPage(url: string, page: string): boolean {
  const u = parse(url);
  const p = parse(page);
  if (!u || !p) return false;
  const host = appHostOf(url);
  return host !== null && host === appHostOf(page) && u.pathname === p.pathname && u.search === '' && p.search === '';
}
