import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApprovalView } from '../api/wallet.js';
import type { ApprovalDecision, ApprovalSurface } from '../wallet/approval-surface.js';
import { callbackDelivery, type ApprovalDelivery } from './approval-delivery.js';

export type ApprovalRouteOptions = {
  /** The built renderer (out/renderer), which holds approve.html and its assets. */
  readonly rendererDir: string;
  /** The host's own origin (http://127.0.0.1:port); learnt from its first request when omitted. */
  readonly origin?: () => string | null;
} & (
  | {
      /**
       * Hands the one-time address to the person, out of band from the main window. The app uses
       * fileApprovalDelivery: a 0600 file opened with the system opener, never argv or stdout.
       */
      readonly delivery: ApprovalDelivery;
    }
  | {
      /** For in-process tests: the address goes to this callback (and again on reveal). */
      readonly deliver: (url: string) => void;
    }
);

interface Waiting {
  readonly token: Buffer;
  readonly url: string;
  readonly view: ApprovalView;
  readonly decide: (d: ApprovalDecision) => void;
}

const PREFIX = '/approve/';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const decisionSchema = z.object({ id: z.string().max(64), decision: z.enum(['approve', 'reject']) }).strict();

// The approval page needs nothing but its own scripts and same-origin fetches.
const APPROVAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': APPROVAL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  // Severs window.opener links: no other window can hold a handle on the approval page.
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The browser host's approval surface: a separate page at /approve/<one-time token>. The token
 * is made per request, is never sent over the main window's WebSocket (the window only hears
 * 'wallet.approvalPending' with an id and a summary), and dies with the decision, a timeout or
 * a cancellation. Without it, a script in the main window cannot load the page or post a
 * decision.
 *
 *   GET  /approve/<token>           the approval page (renderer/approve.html)
 *   GET  /approve/<token>/request   the decoded request (ApprovalView) as JSON
 *   POST /approve/<token>/decision  {"id", "decision": "approve"|"reject"}
 */
export class ApprovalRoute {
  readonly #waiting = new Map<string, Waiting>();
  readonly #delivery: ApprovalDelivery;
  #learntOrigin: string | null = null;

  constructor(private readonly options: ApprovalRouteOptions) {
    this.#delivery = 'delivery' in options ? options.delivery : callbackDelivery(options.deliver);
  }

  /** The surface to give WalletService; `reveal` backs the main window's "show it again". */
  readonly surface: ApprovalSurface & { reveal(): boolean } = {
    present: (view, signal) =>
      new Promise<ApprovalDecision>((resolve, reject) => {
        const origin = this.options.origin?.() ?? this.#learntOrigin;
        if (!origin) {
          reject(new Error('The browser host has not served anything yet; no address to send'));
          return;
        }
        const token = randomBytes(32).toString('base64url');
        const url = `${origin}${PREFIX}${token}`;
        let settled = false;
        const done = (d: ApprovalDecision) => {
          if (settled) return;
          settled = true;
          this.#waiting.delete(token);
          try {
            this.#delivery.withdraw(url);
          } finally {
            resolve(d);
          }
        };
        this.#waiting.set(token, { token: Buffer.from(token), url, view, decide: done });
        signal.addEventListener('abort', () => done('reject'), { once: true });
        if (signal.aborted) {
          done('reject');
          return;
        }
        try {
          this.#delivery.deliver(url);
        } catch (e) {
          // No way to reach the person (the handoff folder cannot be written): nothing is signed.
          settled = true;
          this.#waiting.delete(token);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    reveal: () => this.reveal(),
  };

  /**
   * Shows the waiting approval again (the person closed its tab, or never saw it open): true when
   * one waits and was handed to the person again. The main window may ask for this; it never
   * learns the address.
   */
  reveal(): boolean {
    const [waiting] = this.#waiting.values();
    if (!waiting) return false;
    try {
      return this.#delivery.reveal(waiting.url);
    } catch {
      return false; // the handoff folder cannot be written: nothing was shown
    }
  }

  /** The HttpRoute for BrowserHost's `routes`. */
  readonly route = (req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean> => {
    this.#learntOrigin ??= url.origin;
    if (!url.pathname.startsWith(PREFIX)) return false;
    return this.#handle(req, res, url);
  };

  async #handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const [token = '', action = '', ...rest] = url.pathname.slice(PREFIX.length).split('/');
    const waiting = rest.length === 0 ? this.#find(token) : null;
    if (!waiting) {
      sendJson(res, 410, { error: 'gone' });
      return true;
    }
    if (req.method === 'GET' && action === '') {
      await this.#page(res);
    } else if (req.method === 'GET' && action === 'request') {
      sendJson(res, 200, waiting.view);
    } else if (req.method === 'POST' && action === 'decision') {
      await this.#decision(req, res, url, waiting);
    } else {
      sendJson(res, 405, { error: 'method' });
    }
    return true;
  }

  #find(token: string): Waiting | null {
    if (!TOKEN.test(token)) return null;
    const given = Buffer.from(token);
    for (const w of this.#waiting.values()) {
      if (w.token.length === given.length && timingSafeEqual(w.token, given)) return w;
    }
    return null;
  }

  async #decision(req: IncomingMessage, res: ServerResponse, url: URL, waiting: Waiting): Promise<void> {
    // A JSON body from this origin only: a form post from another site cannot decide.
    if (req.headers.origin !== url.origin || !String(req.headers['content-type']).startsWith('application/json')) {
      sendJson(res, 403, { error: 'origin' });
      return;
    }
    const parsed = decisionSchema.safeParse(await readJson(req));
    // The id binds the decision to the request the page displayed, not whatever waits now.
    if (!parsed.success || parsed.data.id !== waiting.view.id) {
      sendJson(res, 400, { error: 'request' });
      return;
    }
    waiting.decide(parsed.data.decision);
    sendJson(res, 200, { ok: true, decision: parsed.data.decision });
  }

  async #page(res: ServerResponse): Promise<void> {
    let html: string;
    try {
      html = await readFile(join(this.options.rendererDir, 'approve.html'), 'utf8');
    } catch {
      res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The approval page is not built (npm run build).');
      return;
    }
    // The build uses relative asset paths ("./assets/…"); from /approve/<token>/ they must be rooted.
    html = html.replace(/(src|href)="\.\//g, '$1="/');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  }

  /** Waiting prompts are rejected: the host is going away. */
  dispose(): void {
    for (const w of [...this.#waiting.values()]) w.decide('reject');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 4096) return null; // a decision is a few bytes
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
