import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The same policy the Electron host sets: scripts only from the app itself, sockets only to
 * 127.0.0.1. 'wasm-unsafe-eval' lets the window compile the WebAssembly keccak it re-verifies the
 * ledger with (main/ledger/verify/keccak.ts; a year of days in the window); it allows no eval of script.
 */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built renderer; refuses anything outside its folder: `..` in any spelling, a path it
 * cannot decode, and a link inside the folder that points out of it. The Host check that keeps
 * other sites from reading these files (DNS rebinding) is the host's, before any route runs.
 */
export async function serveStatic(root: string, pathname: string, res: ServerResponse, csp: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false; // a malformed %-escape names no file
  }
  if (decoded.includes('\0')) return false;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative === '' ? 'index.html' : relative);
  if (!inside(root, file)) return false;
  try {
    const real = await realpath(file);
    if (!inside(await realpath(root), real)) return false;
    const info = await stat(real);
    if (!info.isFile()) return false;
    const body = await readFile(real);
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}

function inside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep);
}
