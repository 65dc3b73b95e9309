import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { HttpRoute } from './http-route.js';
import { RefusalLog } from './refusal-log.js';
import { hostAllowed, requestUrl } from './request-address.js';
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
  /** For tests only: how refusals are rate-limited in the log (see RefusalLog). */
  readonly refusalLog?: { readonly burst?: number; readonly windowMs?: number };
}

/**
 * Largest message a client may send: requests are small; anything bigger is abuse. The socket that
 * sends one is closed with 1009 (message too big, RFC 6455 §7.4.1) before its payload is read.
 */
export const MAX_MESSAGE_BYTES = 1 << 20;

type Refusal = { readonly status: string; readonly reason: 'target' | 'host' | 'path' | 'origin' | 'unauthorized' };

/**
 * Serves the built renderer and the contract over a WebSocket on 127.0.0.1. A connection needs
 * the per-launch token and this host's own Origin; anything else is refused before the upgrade,
 * so another web page open in the same browser cannot drive the wallet. Every request, HTTP or
 * upgrade, must name this host (Host 127.0.0.1:PORT or localhost:PORT), which defeats DNS
 * rebinding.
 *
 * Nothing a client sends can stop the host: an unreadable request target is answered 400, a
 * socket that breaks the WebSocket protocol (oversized message, invalid UTF-8, reserved close
 * code, RSV bits, unmasked frame) is closed with its close code and only that socket goes, and
 * the refusals are logged at a bounded rate.
 */
export class BrowserHost {
  private constructor(
    readonly url: string,
    readonly token: string,
    readonly port: number,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly refusals: RefusalLog,
    private readonly unsubscribe: () => void,
  ) {}

  /** The address a person opens: the token travels in the fragment, never in a request line. */
  get launchUrl(): string {
    return `${this.url}/#token=${this.token}`;
  }

  static async start(options: BrowserHostOptions): Promise<BrowserHost> {
    const { logger } = options;
    const token = options.token ?? randomBytes(32).toString('base64url');
    const refusals = new RefusalLog({ logger, ...options.refusalLog });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    wss.on('error', (error) => logger.error('websocket server error', { error }));
    const clients = new Set<WebSocket>();
    let origin = '';
    let port = 0;

    const server = createServer((req, res) => {
      const url = requestUrl(req.url, origin);
      if (!url || !hostAllowed(req.headers, port)) {
        const reason = url ? 'host' : 'target';
        refusals.refuse('refused a request', reason);
        plain(res, reason === 'host' ? 421 : 400, reason === 'host' ? 'Misdirected request' : 'Bad request');
        return;
      }
      void (async () => {
        for (const route of options.routes ?? []) if (await route(req, res, url)) return;
        if (req.method === 'GET' && (await serveStatic(options.rendererDir, url.pathname, res, contentSecurityPolicy(origin)))) return;
        plain(res, 404, 'Not found');
      })().catch((error: unknown) => {
        logger.error('http request failed', { error });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });

    // Node answers a request it cannot parse with 400 itself, unless someone listens here.
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (error.code !== 'ECONNRESET') refusals.refuse('refused a malformed request', 'malformed', { code: error.code });
      if (socket.writable) {
        socket.once('finish', () => socket.destroy());
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } else {
        socket.destroy();
      }
    });

    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Once upgraded the socket is ours: Node no longer handles its errors (a reset would throw).
      socket.on('error', () => socket.destroy());
      try {
        const refusal = refuse(req, origin, port, token);
        if (refusal) {
          refusals.refuse('refused a websocket connection', refusal.reason);
          socket.once('finish', () => socket.destroy());
          socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          clients.add(ws);
          // ws has already sent the close frame with the error's code (1002, 1007, 1009) and will
          // drop the socket; without this listener the error would take the whole process down.
          ws.on('error', (error: Error & { code?: string }) => {
            refusals.refuse('closed a websocket that broke the protocol', 'protocol', { code: error.code });
          });
          ws.on('close', () => clients.delete(ws));
          ws.on('message', (data) => {
            answer(ws, String(data), options.dispatch).catch((error: unknown) => logger.error('websocket call failed', { error }));
          });
        });
      } catch (error) {
        logger.error('websocket upgrade failed', { error });
        socket.destroy();
      }
    });

    const forwarding = options.bus.subscribeAll((event, payload) => {
      const text = JSON.stringify({ kind: 'event', event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // After listening, an error (too many open files on accept) is logged, never thrown.
    server.on('error', (error) => logger.error('http server error', { error }));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
    return new BrowserHost(origin, token, port, server, wss, refusals, () => forwarding.dispose());
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.refusals.dispose();
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', Connection: 'close' });
  res.end(text);
}

function refuse(req: IncomingMessage, origin: string, port: number, token: string): Refusal | null {
  const url = requestUrl(req.url, origin);
  if (!url) return { status: '400 Bad Request', reason: 'target' };
  if (!hostAllowed(req.headers, port)) return { status: '421 Misdirected Request', reason: 'host' };
  if (url.pathname !== '/api') return { status: '404 Not Found', reason: 'path' };
  // Browsers always send Origin on WebSocket handshakes; a missing or foreign one is refused.
  const allowed = [origin, origin.replace('127.0.0.1', 'localhost')];
  if (!allowed.includes(req.headers.origin ?? '')) return { status: '403 Forbidden', reason: 'origin' };
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: '401 Unauthorized', reason: 'unauthorized' };
  return null;
}

async function answer(ws: WebSocket, text: string, dispatch: Dispatch): Promise<void> {
  let message: { kind?: unknown; id?: unknown; channel?: unknown; request?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return;
  }
  if (typeof message !== 'object' || message === null) return;
  if (message.kind !== 'call' || typeof message.id !== 'number' || typeof message.channel !== 'string') return;
  const envelope = await dispatch(message.channel, message.request, { host: 'browser' });
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id: message.id, envelope }));
}
