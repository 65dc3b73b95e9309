import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { composeServices, type Services } from '../../../main/compose.js';
import { BrowserHost } from '../../../main/host/browser-host.js';
import { silentLogger } from '../../../main/logging/logger.js';

let host: BrowserHost | null = null;
let services: Services | null = null;

afterEach(async () => {
  await host?.close();
  await services?.dispose();
  host = null;
  services = null;
});

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'outside.txt'), 'private');
  services = await composeServices({ dataDir: join(dir, 'data'), host: 'browser', version: '0.0.0', logger: silentLogger });
  host = await BrowserHost.start({ dispatch: services.dispatch, bus: services.bus, rendererDir, logger: silentLogger });
  return { host, services };
}

function connect(h: BrowserHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api?token=${h.token}`, { origin: h.url });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
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
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const res = await fetch(`${host.url}${path}`);
      expect(await res.text()).not.toContain('private');
    }
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
    ws.send(JSON.stringify({ kind: 'call', id: 'x' }));
    const answer = await new Promise<unknown>((resolve) => {
      ws.on('message', (d) => resolve(JSON.parse(String(d))));
      ws.send(JSON.stringify({ kind: 'call', id: 1, channel: 'settings.get', request: {} }));
    });
    expect(answer).toMatchObject({ id: 1, envelope: { ok: true } });
    ws.close();
  });
});
