import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, stillAnswering, type Target } from './support/attacker.js';
import { rawExchange, rawHandshake } from './support/raw-websocket.js';

// Issue 14, point 6: the static server did not check the Host header, so a page on another name
// that re-points that name at 127.0.0.1 (DNS rebinding) could read the app's files and source
// maps. Every request and upgrade must name this host: 127.0.0.1:PORT or localhost:PORT.
let target: Target;
let port: number;
const assets = readdirSync(resolve(import.meta.dirname, '..', '..', 'out', 'renderer', 'assets'));
const sourceMap = `/assets/${assets.find((f) => f.endsWith('.js.map'))}`;
const script = `/assets/${assets.find((f) => f.endsWith('.js'))}`;

beforeAll(async () => {
  target = await startTarget();
  port = Number(new URL(target.host.origin).port);
});
afterAll(async () => {
  await target?.stop();
});

/** A GET with a Host header of the test's choosing (fetch would send the URL's own). */
function get(path: string, host: string | null): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', setHost: host === null ? false : undefined, headers: host === null ? {} : { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('requests that do not name this host are refused', () => {
  it('the page, a script, a source map, an approval path and a missing file: 421 for a rebound name, no byte of the file', async () => {
    expect(sourceMap).toMatch(/\.js\.map$/);
    for (const path of ['/', '/index.html', script, sourceMap, '/approve/' + 'A'.repeat(43), '/nothing-here']) {
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost`, `127.0.0.1`, `[::1]:${port}`, `127.0.0.1:${port}.evil.example`, `127.0.0.1.nip.io:${port}`]) {
        const r = await get(path, host);
        expect({ path, host, status: r.status }).toEqual({ path, host, status: 421 });
        expect(r.body).not.toContain('sourcesContent');
        expect(r.body).not.toContain('<script');
      }
    }
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('a request without any Host header is refused (Node itself answers an HTTP/1.1 one 400)', async () => {
    const r = await get('/', null);
    expect([400, 421]).toContain(r.status);
    expect(r.body).not.toContain('<script');
    // HTTP/1.0 may leave Host out, and Node lets it through: the host's own check refuses it.
    expect(await rawExchange(port, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 421 /);
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('127.0.0.1:PORT and localhost:PORT (any case) are served', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`]) {
      const page = await get('/', host);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<script');
      expect((await get(sourceMap, host)).status).toBe(200);
    }
  });

  it('an upgrade with the right token and Origin but a rebound Host is refused with 421', async () => {
    for (const host of [`evil.example:${port}`, 'localhost']) {
      const c = await rawHandshake({ port, target: `/api?token=${target.host.token}`, origin: target.host.origin, host });
      expect(c.status).toBe('HTTP/1.1 421 Misdirected Request');
      c.socket.destroy();
    }
    const ok = await rawHandshake({ port, target: `/api?token=${target.host.token}`, origin: target.host.origin, host: `localhost:${port}` });
    expect(ok.status).toBe('HTTP/1.1 101 Switching Protocols');
    ok.socket.destroy();
    expect(await stillAnswering(target.host)).toBe(true);
  });
});

describe('the static server never serves outside its folder', () => {
  it('dot segments in any spelling, a bad escape and a NUL get no file and the host carries on', async () => {
    const host = `127.0.0.1:${port}`;
    const paths = ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/..\\package.json', '/%E0%A4%A', '/index.html%00.js', '/%2e%2e%5cpackage.json'];
    for (const path of paths) {
      const r = await get(path, host);
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expect(r.body).not.toContain('"name": "wattlet"');
    }
    expect(await stillAnswering(target.host)).toBe(true);
  });
});
