import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, verifyMessage } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { EventBus } from '../../../main/api/event-bus.js';
import { ApprovalRoute } from '../../../main/host/approval-route.js';
import { BrowserHost } from '../../../main/host/browser-host.js';
import { walletHandlers } from '../../../main/wallet/handlers.js';
import { WalletService } from '../../../main/wallet/wallet-service.js';
import { MemoryKeychain } from '../../unit/wallet/support/memory-keychain.js';

// The browser host end to end at the HTTP level: the main window is a WebSocket client; the
// person is whoever holds the URL handed to `deliver`.
const signer = Wallet.createRandom();
let dir: string;
let host: BrowserHost;
let approvals: ApprovalRoute;
let wallet: WalletService;
const delivered: string[] = [];
const windowMessages: string[] = [];
let ws: WebSocket;
let nextId = 1;
const results = new Map<number, (envelope: { ok: boolean; result?: unknown; error?: { code: string } }) => void>();

function call(channel: string, request: unknown) {
  const id = nextId++;
  ws.send(JSON.stringify({ kind: 'call', id, channel, request }));
  return new Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>((ok) => results.set(id, ok));
}

async function nextUrl(): Promise<string> {
  for (let i = 0; i < 200 && delivered.length === 0; i++) await new Promise((ok) => setTimeout(ok, 10));
  const url = delivered.shift();
  if (!url) throw new Error('no approval URL was delivered');
  return url;
}

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${url}/decision`, { method: 'POST', body: JSON.stringify(body), headers });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-route-'));
  const rendererDir = join(dir, 'renderer');
  await import('node:fs').then((fs) => fs.mkdirSync(rendererDir));
  writeFileSync(join(rendererDir, 'approve.html'), '<html><script type="module" src="./assets/approve-1.js"></script></html>');
  writeFileSync(join(rendererDir, 'index.html'), '<html>main window</html>');
  approvals = new ApprovalRoute({ rendererDir, deliver: (url) => delivered.push(url) });
  const bus = new EventBus();
  wallet = new WalletService({
    dataDir: join(dir, 'data'),
    keychain: new MemoryKeychain(),
    surface: approvals.surface,
    events: bus,
    autoLockSeconds: () => 600,
    provider: () => null,
    energyLedgerAddress: () => null,
  });
  await wallet.import({ kind: 'privateKey', privateKey: signer.privateKey });
  await wallet.unlock();
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  host = await BrowserHost.start({
    dispatch: createDispatcher(walletHandlers(wallet)),
    bus,
    rendererDir,
    logger,
    routes: [approvals.route],
  });
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: host.url });
  ws.on('message', (data) => {
    const text = String(data);
    windowMessages.push(text);
    const m = JSON.parse(text) as { kind: string; id?: number; envelope?: never };
    if (m.kind === 'result' && m.id !== undefined) results.get(m.id)?.(m.envelope!);
  });
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  await fetch(host.url); // the route learns the host's origin from its first request
});
afterAll(async () => {
  ws?.close();
  approvals?.dispose();
  wallet?.dispose();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('approval route of the browser host', () => {
  it('signs only after a decision posted to the one-time URL, which the main window never receives', async () => {
    const pending = call('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'sell 2 kWh' });
    const url = await nextUrl();
    expect(url).toMatch(new RegExp(`^${host.url}/approve/[A-Za-z0-9_-]{43}$`));
    const token = url.split('/').pop()!;

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('src="/assets/approve-1.js"');
    const view = (await (await fetch(`${url}/request`)).json()) as { id: string; kind: string; text: string };
    expect(view).toMatchObject({ kind: 'message', text: 'sell 2 kWh' });

    // What a script in the main window could try: no origin, a guessed token, the wrong id.
    expect((await post(url, { id: view.id, decision: 'approve' }, { 'content-type': 'application/json' })).status).toBe(403);
    expect((await post(`${host.url}/approve/${'A'.repeat(43)}`, { id: view.id, decision: 'approve' }, { origin: host.url, 'content-type': 'application/json' })).status).toBe(410);
    expect((await post(url, { id: 'other', decision: 'approve' }, { origin: host.url, 'content-type': 'application/json' })).status).toBe(400);
    expect(windowMessages.join('\n')).not.toContain('"signature"');

    const ok = await post(url, { id: view.id, decision: 'approve' }, { origin: host.url, 'content-type': 'application/json' });
    expect(ok.status).toBe(200);
    const envelope = await pending;
    expect(envelope.ok).toBe(true);
    expect(verifyMessage('sell 2 kWh', (envelope.result as { signature: string }).signature)).toBe(signer.address);

    // One-time: the token is dead after the decision.
    expect((await fetch(`${url}/request`)).status).toBe(410);
    const sent = windowMessages.join('\n');
    expect(sent).toContain('wallet.approvalPending');
    expect(sent).not.toContain(token);
  });

  it('a rejection posted on the page signs nothing', async () => {
    const pending = call('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'no' });
    const url = await nextUrl();
    const view = (await (await fetch(`${url}/request`)).json()) as { id: string };
    const r = await post(url, { id: view.id, decision: 'reject' }, { origin: host.url, 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    const envelope = await pending;
    expect(envelope.ok || envelope.error?.code).toBe('APPROVAL_REJECTED');
  });

  it('a request withdrawn by the window takes its URL down with it', async () => {
    const pending = call('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'later' });
    const url = await nextUrl();
    const { approvals: list } = (await call('wallet.pendingApprovals', {})).result as { approvals: Array<{ id: string }> };
    const summary = list[0];
    expect((await call('wallet.cancelApproval', { id: summary!.id })).result).toEqual({ cancelled: true });
    expect((await pending).error?.code).toBe('APPROVAL_CANCELLED');
    expect((await fetch(`${url}/request`)).status).toBe(410);
  });
});

describe('defaultDeliver', () => {
  it('prints "Approval needed: <url>" on the host terminal, the line e2e tests read', async () => {
    const { defaultDeliver } = await import('../../../main/host/approval-route.js');
    const saved = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      defaultDeliver('http://127.0.0.1:1/approve/x');
    } finally {
      process.stdout.write = write;
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
    expect(lines).toEqual(['Approval needed: http://127.0.0.1:1/approve/x\n']);
  });
});
