import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Wallet, verifyMessage } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { EventBus } from '../../../main/api/event-bus.js';
import { fileApprovalDelivery } from '../../../main/host/approval-delivery.js';
import { ApprovalRoute } from '../../../main/host/approval-route.js';
import { BrowserHost } from '../../../main/host/browser-host.js';
import { HandoffFolder, redirectTarget } from '../../../main/host/handoff-folder.js';
import { silentLogger } from '../../../main/logging/logger.js';
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

describe('approval delivery through a handoff file (the app)', () => {
  // A second wallet whose surface delivers as the app does: a 0600 file, opened by path.
  let fileDir: string;
  let fileHost: BrowserHost;
  let fileRoute: ApprovalRoute;
  let fileWallet: WalletService;
  let fileWs: WebSocket;
  const opened: string[] = [];
  const printed: string[] = [];
  let fileId = 1;
  const fileResults = new Map<number, (e: { ok: boolean; result?: unknown; error?: { code: string } }) => void>();
  const fileCall = (channel: string, request: unknown) => {
    const id = fileId++;
    fileWs.send(JSON.stringify({ kind: 'call', id, channel, request }));
    return new Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>((ok) => fileResults.set(id, ok));
  };
  const waitFor = async <T>(probe: () => T | null | undefined): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = probe();
      if (v) return v;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    throw new Error('timed out');
  };

  beforeAll(async () => {
    fileDir = mkdtempSync(join(tmpdir(), 'wattlet-route-file-'));
    const folder = new HandoffFolder(join(fileDir, 'data', 'handoff'));
    fileRoute = new ApprovalRoute({
      rendererDir: join(dir, 'renderer'),
      origin: () => fileHost?.url ?? null,
      delivery: fileApprovalDelivery({ folder, open: (p) => (opened.push(p), true), print: (l) => printed.push(l) }),
    });
    const bus = new EventBus();
    fileWallet = new WalletService({
      dataDir: join(fileDir, 'data'),
      keychain: new MemoryKeychain(),
      surface: fileRoute.surface,
      events: bus,
      autoLockSeconds: () => 600,
      provider: () => null,
      energyLedgerAddress: () => null,
    });
    await fileWallet.import({ kind: 'privateKey', privateKey: signer.privateKey });
    await fileWallet.unlock();
    fileHost = await BrowserHost.start({ dispatch: createDispatcher(walletHandlers(fileWallet)), bus, rendererDir: join(dir, 'renderer'), logger: silentLogger, routes: [fileRoute.route] });
    fileWs = new WebSocket(`ws://127.0.0.1:${fileHost.port}/api?token=${fileHost.token}`, { origin: fileHost.url });
    fileWs.on('message', (data) => {
      const m = JSON.parse(String(data)) as { kind: string; id?: number; envelope?: never };
      if (m.kind === 'result' && m.id !== undefined) fileResults.get(m.id)?.(m.envelope!);
    });
    await new Promise((ok, fail) => fileWs.once('open', ok).once('error', fail));
  });
  afterAll(async () => {
    fileWs?.close();
    fileRoute?.dispose();
    fileWallet?.dispose();
    await fileHost?.close();
    rmSync(fileDir, { recursive: true, force: true });
  });

  it('writes the address into a 0600 file in a 0700 folder, opens that path, prints no token, and removes it when decided', async () => {
    expect(fileRoute.reveal()).toBe(false); // nothing waits
    const pending = fileCall('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'via a file' });
    const path = await waitFor(() => opened[0]);
    const file = join(fileDir, 'data', 'handoff', 'approval.html');
    expect(path).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(fileDir, 'data', 'handoff')).mode & 0o777).toBe(0o700);
    const url = redirectTarget(readFileSync(file, 'utf8'))!;
    expect(url).toMatch(new RegExp(`^${fileHost.url}/approve/[A-Za-z0-9_-]{43}$`));
    const token = url.split('/').pop()!;
    expect(printed).toEqual([`Approval needed: ${pathToFileURL(file).href}`]);
    expect(printed.join('\n')).not.toContain(token);

    // "Show it again": the same file, opened again, still holding this request's address.
    rmSync(file);
    expect((await fileCall('wallet.revealApproval', {})).result).toEqual({ revealed: true });
    expect(opened).toEqual([file, file]);
    expect(redirectTarget(readFileSync(file, 'utf8'))).toBe(url);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const view = (await (await fetch(`${url}/request`)).json()) as { id: string };
    const r = await post(url, { id: view.id, decision: 'approve' }, { origin: fileHost.url, 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect((await pending).ok).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(fileRoute.reveal()).toBe(false);
    expect((await fileCall('wallet.revealApproval', {})).result).toEqual({ revealed: false });
    expect(opened).toHaveLength(2);
  });

  it('a cancelled request takes its file down too', async () => {
    const pending = fileCall('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'withdrawn' });
    const file = join(fileDir, 'data', 'handoff', 'approval.html');
    await waitFor(() => existsSync(file));
    const { approvals: list } = (await fileCall('wallet.pendingApprovals', {})).result as { approvals: Array<{ id: string }> };
    await fileCall('wallet.cancelApproval', { id: list[0]!.id });
    expect((await pending).error?.code).toBe('APPROVAL_CANCELLED');
    expect(existsSync(file)).toBe(false);
  });

  it('an address the host cannot hand over (folder not writable) signs nothing and the route carries on', async () => {
    const blocked = join(fileDir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const route = new ApprovalRoute({
      rendererDir: join(dir, 'renderer'),
      origin: () => 'http://127.0.0.1:1',
      delivery: fileApprovalDelivery({ folder: new HandoffFolder(blocked), open: () => true, print: () => {} }),
    });
    const view = { id: 'x' } as Parameters<typeof route.surface.present>[0];
    await expect(route.surface.present(view, new AbortController().signal)).rejects.toThrow();
    expect(route.reveal()).toBe(false);
  });
});

describe('the in-process callback delivery', () => {
  it('hands the same address again on reveal, and nothing when no request waits', async () => {
    expect(approvals.reveal()).toBe(false);
    const pending = call('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'again' });
    const url = await nextUrl();
    expect(approvals.reveal()).toBe(true);
    expect(await nextUrl()).toBe(url);
    const view = (await (await fetch(`${url}/request`)).json()) as { id: string };
    await post(url, { id: view.id, decision: 'reject' }, { origin: host.url, 'content-type': 'application/json' });
    await pending;
    expect(approvals.reveal()).toBe(false);
  });
});
