import { randomBytes } from 'node:crypto';
import { WattletError } from '../api/errors.js';
import type { ApprovalLanguage, ApprovalSummary, ApprovalView } from '../api/wallet.js';
import type { ApprovalSurface } from './approval-surface.js';
import type { Clock } from './clock.js';

export type ApprovalOutcome = 'approved' | 'rejected' | 'timeout' | 'cancelled';

/** A view without the fields the queue fills in (id, times and the page's language). */
export type DraftView = ApprovalView extends infer V
  ? V extends ApprovalView
    ? Omit<V, 'id' | 'createdAt' | 'expiresAt' | 'language'>
    : never
  : never;

export interface ApprovalQueueOptions {
  surface: ApprovalSurface;
  clock: Clock;
  /** How long one prompt may stay open before it is cancelled. */
  timeoutMs: number;
  /** Queued requests beyond this are refused, so a script cannot flood the person with prompts. */
  maxQueued?: number;
  /**
   * The household's language (Settings), read when a prompt is shown and carried in its view, so
   * the approval surface speaks it whatever the browser's language. None: the surface follows the
   * browser's.
   */
  language?: () => ApprovalLanguage | null;
  onPending?: (summary: ApprovalSummary) => void;
  onSettled?: (id: string, outcome: ApprovalOutcome) => void;
}

interface Entry {
  view: ApprovalView;
  summary: string;
  resolve: () => void;
  reject: (e: WattletError) => void;
  abort: AbortController;
  presented: boolean;
  settled: boolean;
}

/**
 * At most one prompt on the surface at a time; the rest wait in order (FIFO), as in Frame. A
 * prompt that no one answers is cancelled after `timeoutMs`. Nothing is signed here: `request`
 * resolves on approval and the caller signs after it.
 */
export class ApprovalQueue {
  readonly #entries: Entry[] = [];
  #disposed = false;

  constructor(private readonly options: ApprovalQueueOptions) {}

  get size(): number {
    return this.#entries.length;
  }

  /** True while a prompt is on the surface (the first entry has been presented). */
  get presenting(): boolean {
    return this.#entries[0]?.presented === true;
  }

  pending(): ApprovalSummary[] {
    return this.#entries.map((e) => this.#summary(e));
  }

  request(draft: DraftView, summary: string): Promise<void> {
    if (this.#disposed) {
      return Promise.reject(new WattletError('APPROVAL_CANCELLED', 'The wallet is shutting down', {}));
    }
    const max = this.options.maxQueued ?? 16;
    if (this.#entries.length >= max) {
      return Promise.reject(
        new WattletError('APPROVAL_QUEUE_FULL', `${max} requests already wait for approval`, { max }),
      );
    }
    const now = this.options.clock.now();
    const view = {
      ...draft,
      id: randomBytes(8).toString('hex'),
      createdAt: now,
      expiresAt: now + this.options.timeoutMs,
      language: null,
    } as ApprovalView;
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { view, summary, resolve, reject, abort: new AbortController(), presented: false, settled: false };
      this.#entries.push(entry);
      this.options.onPending?.(this.#summary(entry));
      this.#pump();
    });
  }

  /** Withdraws a request (the caller gave up, or it is cancelled by id). */
  cancel(id: string, error?: WattletError): boolean {
    const entry = this.#entries.find((e) => e.view.id === id);
    if (!entry) return false;
    this.#settle(entry, 'cancelled', error ?? new WattletError('APPROVAL_CANCELLED', 'The request was withdrawn', { id }));
    return true;
  }

  /** Cancels everything: the wallet locked or is shutting down. */
  cancelAll(error: WattletError): void {
    for (const entry of [...this.#entries]) this.#settle(entry, 'cancelled', error);
  }

  dispose(): void {
    this.#disposed = true;
    this.cancelAll(new WattletError('APPROVAL_CANCELLED', 'The wallet is shutting down', {}));
  }

  #language(): ApprovalLanguage | null {
    try {
      return this.options.language?.() ?? null;
    } catch {
      return null; // settings not readable: the page follows the browser, the prompt still shows
    }
  }

  #summary(e: Entry): ApprovalSummary {
    return {
      id: e.view.id,
      kind: e.view.kind,
      from: e.view.from,
      summary: e.summary,
      state: e.presented ? 'presented' : 'queued',
      createdAt: e.view.createdAt,
    };
  }

  #pump(): void {
    const entry = this.#entries[0];
    if (!entry || entry.presented) return;
    entry.presented = true;
    // The timeout counts from when the person can see the prompt, not from when it queued.
    const now = this.options.clock.now();
    entry.view = { ...entry.view, expiresAt: now + this.options.timeoutMs, language: this.#language() };
    const timer = this.options.clock.setTimeout(() => {
      this.#settle(entry, 'timeout', new WattletError('APPROVAL_TIMEOUT', 'No one approved the request in time', {
        id: entry.view.id,
        seconds: Math.round(this.options.timeoutMs / 1000),
      }));
    }, this.options.timeoutMs);
    entry.abort.signal.addEventListener('abort', () => timer.cancel(), { once: true });
    let shown: Promise<'approve' | 'reject'>;
    try {
      shown = this.options.surface.present(entry.view, entry.abort.signal);
    } catch (e) {
      // A surface that throws at once (no window could be made) must not wedge the queue.
      shown = Promise.reject(e);
    }
    shown.then(
      (decision) => {
        if (decision === 'approve') this.#settle(entry, 'approved');
        else this.#settle(entry, 'rejected', new WattletError('APPROVAL_REJECTED', 'The request was rejected', { id: entry.view.id }));
      },
      (e: unknown) => {
        // A surface that fails (window closed, page gone) counts as a rejection: never a signature.
        const error = e instanceof WattletError ? e : new WattletError('APPROVAL_CANCELLED', 'The approval surface failed', { id: entry.view.id });
        this.#settle(entry, 'cancelled', error);
      },
    );
  }

  #settle(entry: Entry, outcome: ApprovalOutcome, error?: WattletError): void {
    if (entry.settled) return;
    entry.settled = true;
    const i = this.#entries.indexOf(entry);
    if (i >= 0) this.#entries.splice(i, 1);
    entry.abort.abort();
    this.options.onSettled?.(entry.view.id, outcome);
    if (outcome === 'approved') entry.resolve();
    else entry.reject(error ?? new WattletError('APPROVAL_CANCELLED', 'The request was cancelled', { id: entry.view.id }));
    this.#pump();
  }
}
