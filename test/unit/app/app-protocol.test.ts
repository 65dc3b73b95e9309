import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCsp, appScheme, createAppProtocolHandler, denyAllCsp, resolveAppFile, withCsp } from '../../../main/app/app-protocol.js';

// A renderer folder on disk with a neighbour whose name starts like it, the way out/renderer
// sits next to other folders in the app: the protocol must reach the one and never the other.
let base: string;
let root: string;
let serve: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'wattlet-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets', 'folder.js'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>main</title>');
  writeFileSync(join(root, 'approve.html'), '<!doctype html><title>approve</title>');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'index-1.js'), 'export const main = 1;');
  writeFileSync(join(root, 'assets', 'index-1.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'readme.txt'), 'not a type the app serves');
  writeFileSync(join(root, 'assets', '.env.js'), 'secret');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'index.html'), '<script>evil()</script>');
  writeFileSync(join(base, 'secret.js'), 'the key');
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'link.js'));
  serve = createAppProtocolHandler(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppFile: a request URL maps to one file in the renderer folder or is refused', () => {
  it('maps each origin to its page and both to the shared assets', () => {
    expect(resolveAppFile('wattlet-app://app/index.html', root)).toEqual({ ok: true, host: 'app', file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile('wattlet-app://approval/approve.html', root)).toMatchObject({ ok: true, host: 'approval', file: join(root, 'approve.html') });
    expect(resolveAppFile('wattlet-app://app/assets/index-1.js', root)).toMatchObject({ ok: true, file: join(root, 'assets', 'index-1.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppFile('wattlet-app://approval/assets/index-1.css', root)).toMatchObject({ ok: true, contentType: 'text/css; charset=utf-8' });
    expect(resolveAppFile('wattlet-app://app/favicon.svg?v=2#x', root)).toMatchObject({ ok: true, file: join(root, 'favicon.svg'), contentType: 'image/svg+xml' });
    expect(resolveAppFile('wattlet-app://app/assets/caf%C3%A9.js', root)).toMatchObject({ ok: true, file: join(root, 'assets', 'café.js') });
  });

  it.each([
    ['wattlet-app://app/assets/../../secret.js', 'secret.js'],
    ['wattlet-app://app/%2e%2e/secret.js', 'secret.js'],
    ['wattlet-app://app/assets/%2E%2e/%2e./secret.js', 'secret.js'],
    ['wattlet-app://app/../renderer-evil/index.js', 'renderer-evil/index.js'],
    // decoded once only: a literal (and missing) name inside the folder
    ['wattlet-app://app/%252e%252e%252fsecret.js', '%2e%2e%2fsecret.js'],
  ])('%s: the URL parser removes the dot segments, so it names %s inside the folder', (url, inside) => {
    expect(resolveAppFile(url, root)).toMatchObject({ ok: true, file: join(root, inside) });
  });

  it.each([
    // traversal the URL parser resolves (see below) that ends at no servable file
    ['wattlet-app://app/../../etc/passwd', 404],
    ['wattlet-app://app/%2E%2E/%2e%2e/etc/passwd', 404],
    // traversal only decoding reveals
    ['wattlet-app://app/..%2fsecret.js', 400],
    ['wattlet-app://app/assets/..%2F..%2Fsecret.js', 400],
    ['wattlet-app://app/%2e%2e%2fsecret.js', 400],
    ['wattlet-app://app/..%5csecret.js', 400],
    ['wattlet-app://app/assets%5c..%5c..%5csecret.js', 400],
    // absolute paths and drive letters
    ['wattlet-app://app//etc/passwd.js', 400],
    ['wattlet-app://app/%2fetc%2fpasswd.js', 400],
    ['wattlet-app://app/C:/Windows/win.ini.js', 400],
    ['wattlet-app://app/C%3A%5CWindows%5Cwin.js', 400],
    // NUL and control characters, broken encoding
    ['wattlet-app://app/index.html%00.js', 400],
    ['wattlet-app://app/assets/index-1.js%00', 400],
    ['wattlet-app://app/assets/a%0a.js', 400],
    ['wattlet-app://app/assets/%E0%A4%A.js', 400],
    ['wattlet-app://app/assets/%.js', 400],
    // hidden files and empty segments
    ['wattlet-app://app/assets/.env.js', 400],
    ['wattlet-app://app/assets//index-1.js', 400],
    ['wattlet-app://app/assets/', 400],
    // a page only on its own origin
    ['wattlet-app://app/approve.html', 404],
    ['wattlet-app://approval/index.html', 404],
    ['wattlet-app://app/assets/page.html', 404],
    ['wattlet-app://app/', 400],
    // types the app does not serve
    ['wattlet-app://app/assets/readme.txt', 404],
    ['wattlet-app://app/assets/noext', 404],
    // other hosts, ports, user info, schemes
    ['wattlet-app://evil/index.html', 404],
    ['wattlet-app://app.evil/index.html', 404],
    ['wattlet-app://app:8080/index.html', 404],
    ['wattlet-app://x@app/index.html', 404],
    ['file:///etc/passwd', 404],
    ['https://app/index.html', 404],
  ])('%s → %i', (url, status) => {
    expect(resolveAppFile(url, root)).toEqual({ ok: false, status });
  });
});

describe('the wattlet-app: protocol handler, reading real files', () => {
  const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

  it('serves the main page with its type, its origin’s CSP and no sniffing', async () => {
    const res = await get('wattlet-app://app/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html><title>main</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(appCsp.app);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('serves the approval page on its own origin with the stricter policy', async () => {
    const res = await get('wattlet-app://approval/approve.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('approve');
    expect(res.headers.get('content-security-policy')).toBe(appCsp.approval);
    expect(appCsp.approval).toContain("default-src 'none'");
    for (const csp of Object.values(appCsp)) {
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      // No script eval anywhere; the main window may compile WebAssembly (the keccak it re-verifies the ledger with).
      expect(csp).not.toContain("'unsafe-eval'");
    }
    expect(appCsp.app).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(appCsp.approval).not.toContain('wasm-unsafe-eval');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('wattlet-app://app/assets/index-1.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await head.text()).toBe('');
    expect((await get('wattlet-app://app/assets/index-1.js', 'POST')).status).toBe(405);
    expect((await get('wattlet-app://app/assets/index-1.js', 'PUT')).status).toBe(405);
  });

  it('never reads outside the folder: neighbour folders, symlinks, folders, missing files', async () => {
    for (const url of [
      'wattlet-app://app/..%2frenderer-evil%2findex.html',
      'wattlet-app://app/../renderer-evil/index.html',
      'wattlet-app://app/%2e%2e/secret.js',
      'wattlet-app://app/assets/link.js',
      'wattlet-app://app/assets/folder.js',
      'wattlet-app://app/assets/missing.js',
    ]) {
      const res = await get(url);
      expect([400, 404], url).toContain(res.status);
      expect(await res.text(), url).toBe('');
      // refusals carry a policy too, so nothing rendered from them can run
      expect(res.headers.get('content-security-policy'), url).toMatch(/default-src/);
    }
  });

  it('loads every script, style and icon the built pages reference, each on its own origin', async () => {
    const built = resolve(import.meta.dirname, '../../../out/renderer');
    // `npm test` builds before it runs vitest; a focused run without out/ has nothing to load.
    if (!existsSync(join(built, 'index.html'))) return;
    const handler = createAppProtocolHandler(built);
    for (const [host, page] of [['app', 'index.html'], ['approval', 'approve.html']] as const) {
      const html = readFileSync(join(built, page), 'utf8');
      const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length, page).toBeGreaterThan(0);
      for (const ref of [page, ...refs]) {
        const res = await handler(new Request(`wattlet-app://${host}/${ref}`));
        expect(res.status, `${host}/${ref}`).toBe(200);
      }
    }
  });
});

describe('the scheme’s privileges and the session-wide CSP', () => {
  it('is a standard, secure scheme that other origins cannot read and that bypasses nothing', () => {
    expect(appScheme.scheme).toBe('wattlet-app');
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false });
  });

  it('keeps the policy a response came with and gives any other response a deny-all policy', () => {
    expect(withCsp({ 'Content-Security-Policy': [appCsp.app] })).toEqual({ 'Content-Security-Policy': [appCsp.app] });
    expect(withCsp({ 'content-security-policy': [appCsp.approval], 'X-A': ['1'] })).toEqual({ 'content-security-policy': [appCsp.approval], 'X-A': ['1'] });
    expect(withCsp({ 'Content-Type': ['text/html'] })).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [denyAllCsp] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [denyAllCsp] });
    expect(withCsp({ 'Content-Security-Policy': [] })['Content-Security-Policy']).toEqual([denyAllCsp]);
  });
});
