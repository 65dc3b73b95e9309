import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { composeServices, type Services } from '../../../main/compose.js';
import { BrowserHost } from '../../../main/host/browser-host.js';
import { silentLogger, type Logger } from '../../../main/logging/logger.js';
import { OP, frame, rawExchange, rawHandshake } from '../../security/support/raw-websocket.js';

let host: BrowserHost | null = null;
let services: Services | null = null;
/** What the host logged in the current test. */
let logged: Array<{ level: string; message: string; facts: Record<string, unknown> }> = [];
const recordingLogger: Logger = {
  info: (message, facts = {}) => logged.push({ level: 'info', message, facts }),
  warn: (message, facts = {}) => logged.push({ level: 'warn', message, facts }),
  error: (message, facts = {}) => logged.push({ level: 'error', message, facts }),
};

afterEach(async () => {
  await host?.close();
  await services?.dispose();
  host = null;
  services = null;
  logged = [];
});

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'outside.txt'), 'private');
  symlinkSync(join(dir, 'outside.txt'), join(rendererDir, 'linked.txt'));
  // An endpoint that answers nothing: the host needs no chain, so demo mode does not start one.
  services = await composeServices({ dataDir: join(dir, 'data'), host: 'browser', version: '0.0.0', settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' }, parts: { logger: silentLogger } });
  host = await BrowserHost.start({ dispatch: services.dispatch, bus: services.bus, rendererDir, logger: recordingLogger });
  return { host, services };
}

function connect(h: BrowserHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api?token=${h.token}`, { origin: h.url });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

/** A GET with a Host header of the test's choosing; the status. */
function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

/** The host still serves its page and answers a call on a fresh connection. */
async function answers(h: BrowserHost): Promise<boolean> {
  if ((await fetch(`${h.url}/`)).status !== 200) return false;
  const ws = await connect(h);
  const answer = await new Promise<{ envelope?: { ok: boolean } }>((resolve) => {
    ws.on('message', (d) => resolve(JSON.parse(String(d))));
    ws.send(JSON.stringify({ kind: 'call', id: 1, channel: 'settings.get', request: {} }));
  });
  ws.close();
  return answer.envelope?.ok === true;
}

describe('BrowserHost', () => {
  it('binds to 127.0.0.1 only and serves the renderer with a CSP', async () => {
    const { host } = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses paths outside the renderer folder', async () => {
    const { host } = await start();
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/linked.txt', '/%E0%A4%A', '/index.html%00']) {
      const res = await fetch(`${host.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).not.toContain('private');
    }
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    expect(await answers(host)).toBe(true);
  });

  it('refuses requests and upgrades whose Host is not 127.0.0.1:PORT or localhost:PORT, and logs why without the token', async () => {
    const { host } = await start();
    for (const name of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      expect(await statusWithHost(host.port, '/', name)).toBe(421);
    }
    expect(await statusWithHost(host.port, '/', `localhost:${host.port}`)).toBe(200);
    const c = await rawHandshake({ port: host.port, target: `/api?token=${host.token}`, origin: host.url, host: `evil.example:${host.port}` });
    expect(c.status).toBe('HTTP/1.1 421 Misdirected Request');
    c.socket.destroy();
    expect(logged.map((l) => l.facts.reason)).toEqual(['host', 'host', 'host', 'host']);
    expect(JSON.stringify(logged)).not.toContain(host.token);
    expect(await answers(host)).toBe(true);
  });

  it('answers an unreadable target 400 on an upgrade and on a request, token or not', async () => {
    const { host } = await start();
    const upgrade = `Host: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    expect(await rawExchange(host.port, `GET http://[ HTTP/1.1\r\n${upgrade}`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(host.port, `GET http://[?token=${host.token} HTTP/1.1\r\n${upgrade}`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(host.port, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await answers(host)).toBe(true);
  });

  it('closes a socket that breaks the protocol with its close code, and keeps the others', async () => {
    const { host } = await start();
    const other = await connect(host);
    const bad = await rawHandshake({ port: host.port, target: `/api?token=${host.token}`, origin: host.url });
    bad.socket.write(frame({ opcode: OP.text, rsv1: true, payload: Buffer.from('{}') }));
    expect(await bad.closeCode()).toBe(1002);
    expect(other.readyState).toBe(WebSocket.OPEN);
    other.close();
    expect(logged.filter((l) => l.facts.reason === 'protocol')).toHaveLength(1);
    expect(await answers(host)).toBe(true);
  });

  it('answers calls with envelopes and forwards events to connected clients', async () => {
    const { host } = await start();
    const ws = await connect(host);
    const messages: Array<{ kind: string; id?: number; envelope?: { ok: boolean; result?: { theme?: string } }; event?: string }> = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ kind: 'call', id: 7, channel: 'settings.update', request: { theme: 'dark' } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(messages.find((m) => m.kind === 'result')).toMatchObject({ id: 7, envelope: { ok: true, result: { theme: 'dark' } } });
    expect(messages.find((m) => m.kind === 'event')).toMatchObject({ event: 'settings.changed' });
    ws.close();
  });

  it('ignores garbage messages without dropping the connection', async () => {
    const { host } = await start();
    const ws = await connect(host);
    ws.send('not json');
    for (const text of ['null', '0', '[]', '"x"']) ws.send(text);
    ws.send(JSON.stringify({ kind: 'call', id: 'x' }));
    const answer = await new Promise<unknown>((resolve) => {
      ws.on('message', (d) => resolve(JSON.parse(String(d))));
      ws.send(JSON.stringify({ kind: 'call', id: 1, channel: 'settings.get', request: {} }));
    });
    expect(answer).toMatchObject({ id: 1, envelope: { ok: true } });
    ws.close();
  });
});
