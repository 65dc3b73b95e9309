import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { HttpRoute } from './http-route.js';
import { contentSecurityPolicy, serveStatic } from './static-files.js';

export interface BrowserHostOptions {
  readonly dispatch: Dispatch;
  readonly bus: EventBus;
  readonly rendererDir: string;
  readonly logger: Logger;
  /** 0 picks a free port. Always bound to 127.0.0.1. */
  readonly port?: number;
  readonly routes?: readonly HttpRoute[];
  /** For tests only: a fixed token. Production uses a fresh random one per launch. */
  readonly token?: string;
}

/** Largest message a client may send: requests are small; anything bigger is abuse. */
const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * Serves the built renderer and the contract over a WebSocket on 127.0.0.1. A connection needs
 * the per-launch token and this host's own Origin; anything else is refused before the upgrade,
 * so another web page open in the same browser cannot drive the wallet.
 */
export class BrowserHost {
  private constructor(
    readonly url: string,
    readonly token: string,
    readonly port: number,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly unsubscribe: () => void,
  ) {}

  /** The address a person opens: the token travels in the fragment, never in a request line. */
  get launchUrl(): string {
    return `${this.url}/#token=${this.token}`;
  }

  static async start(options: BrowserHostOptions): Promise<BrowserHost> {
    const token = options.token ?? randomBytes(32).toString('base64url');
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    const clients = new Set<WebSocket>();
    let origin = '';

    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', origin);
        for (const route of options.routes ?? []) if (await route(req, res, url)) return;
        if (req.method === 'GET' && (await serveStatic(options.rendererDir, url.pathname, res, contentSecurityPolicy(origin)))) return;
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      })().catch((error: unknown) => {
        options.logger.error('http request failed', { error });
        if (!res.headersSent) res.writeHead(500).end();
      });
    });

    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const refusal = refuse(req, origin, token);
      if (refusal) {
        options.logger.warn('refused a websocket connection', { reason: refusal });
        socket.end(`HTTP/1.1 ${refusal === 'origin' ? '403 Forbidden' : '401 Unauthorized'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        ws.on('close', () => clients.delete(ws));
        ws.on('message', (data) => void answer(ws, String(data), options.dispatch));
      });
    });

    const unsubscribe = options.bus.subscribeAll((event, payload) => {
      const text = JSON.stringify({ kind: 'event', event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
    return new BrowserHost(origin, token, port, server, wss, unsubscribe);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function refuse(req: IncomingMessage, origin: string, token: string): 'path' | 'origin' | 'token' | null {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname !== '/api') return 'path';
  // Browsers always send Origin on WebSocket handshakes; a missing or foreign one is refused.
  const allowed = [origin, origin.replace('127.0.0.1', 'localhost')];
  if (!allowed.includes(req.headers.origin ?? '')) return 'origin';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'token';
  return null;
}

async function answer(ws: WebSocket, text: string, dispatch: Dispatch): Promise<void> {
  let message: { kind?: unknown; id?: unknown; channel?: unknown; request?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return;
  }
  if (message.kind !== 'call' || typeof message.id !== 'number' || typeof message.channel !== 'string') return;
  const envelope = await dispatch(message.channel, message.request, { host: 'browser' });
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id: message.id, envelope }));
}
