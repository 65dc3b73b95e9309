import fs from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_SCHEME, appHostOf, HOST_PAGE, type AppHost } from './app-origin.js';

/**
 * The `wattlet-app:` protocol that serves out/renderer to the Electron windows, instead of
 * file:// (which gives every local file the page's origin and extra privileges). A request URL
 * maps to one file under the renderer folder or is refused; nothing else on disk is reachable.
 */

/**
 * Registered before `ready`. Standard (relative URLs, an origin, storage) and secure (a secure
 * context, like https). Fetch is supported for the page's own files; CORS stays off so no other
 * origin can read these responses; no service workers, no CSP bypass.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false },
};

const contentTypes: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  webp: 'image/webp',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
};

const common = [
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
];

/** Each origin's Content-Security-Policy, sent as a header (frame-ancestors works only there). */
export const appCsp: Readonly<Record<AppHost, string>> = {
  // The window compiles the WebAssembly keccak it re-verifies the ledger with (main/ledger/verify/keccak.ts):
  // 'wasm-unsafe-eval' allows WebAssembly compilation only, never eval of script.
  app: ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", ...common].join('; '),
  // The approval page needs nothing but its own script, styles and images.
  approval: ["default-src 'none'", "script-src 'self'", ...common].join('; '),
};

export type AppFile =
  | { readonly ok: true; readonly host: AppHost; readonly file: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 404 };

/**
 * Maps a request URL to a file under `root`, or says why not: 400 for a malformed or hostile
 * path (bad percent-encoding, NUL or control characters, backslashes, encoded slashes, dot or
 * hidden segments, empty segments, drive letters), 404 for another host, an unknown file type or
 * a page that belongs to the other origin. Pure: it never touches the disk.
 */
export function resolveAppFile(url: string, root: string): AppFile {
  const host = appHostOf(url);
  if (!host) return { ok: false, status: 404 };
  // The WHATWG parser has already removed literal and %2e dot segments; what is left to check
  // is what decoding can still smuggle into a segment.
  const raw = new URL(url).pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '' || segment.startsWith('.') || /[\u0000-\u001f\u007f/\\:]/.test(segment)) return { ok: false, status: 400 };
    segments.push(segment);
  }
  const name = segments[segments.length - 1] ?? '';
  const dot = name.lastIndexOf('.');
  const contentType = dot > 0 ? contentTypes[name.slice(dot + 1).toLowerCase()] : undefined;
  if (!contentType) return { ok: false, status: 404 };
  // A page is a document only on its own origin: the approval page never loads as the main
  // window's origin, nor the main page as the approval window's.
  if (contentType.startsWith('text/html') && (segments.length !== 1 || name !== HOST_PAGE[host])) return { ok: false, status: 404 };
  const file = join(root, ...segments);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { ok: false, status: 400 };
  return { ok: true, host, file, contentType };
}

function headers(host: AppHost | null, contentType?: string): Headers {
  const h = new Headers({
    'Content-Security-Policy': appCsp[host ?? 'approval'],
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  if (contentType) h.set('Content-Type', contentType);
  return h;
}

/**
 * The `protocol.handle` handler: GET and HEAD only; a regular file (no symlink, no folder) under
 * `root`, with its content type and its origin's CSP. Reads through the `fs` module object, which
 * Electron patches to read inside app.asar.
 */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const host = appHostOf(request.url);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: headers(host) });
    }
    const found = resolveAppFile(request.url, root);
    if (!found.ok) return new Response(null, { status: found.status, headers: headers(host) });
    try {
      const info = await fs.promises.lstat(found.file);
      if (!info.isFile()) return new Response(null, { status: 404, headers: headers(host) });
      const body = request.method === 'HEAD' ? null : await fs.promises.readFile(found.file);
      return new Response(body, { status: 200, headers: headers(found.host, found.contentType) });
    } catch (e) {
      // A file that vanished is not found; anything else (permissions, I/O) is the app's fault.
      const code = (e as NodeJS.ErrnoException).code;
      return new Response(null, { status: code === 'ENOENT' || code === 'ENOTDIR' ? 404 : 500, headers: headers(host) });
    }
  };
}

/** For anything not served by this protocol (nothing should be): a policy that allows nothing. */
export const denyAllCsp = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The session-wide header hook: a response that carries its own CSP (ours, per origin) keeps it;
 * any other response gets the policy that allows nothing.
 */
export function withCsp(responseHeaders: Record<string, string[]> | undefined): Record<string, string[]> {
  const headers = { ...responseHeaders };
  const has = Object.entries(headers).some(([name, values]) => name.toLowerCase() === 'content-security-policy' && values.length > 0);
  if (!has) headers['Content-Security-Policy'] = [denyAllCsp];
  return headers;
}
