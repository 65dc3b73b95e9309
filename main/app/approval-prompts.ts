import type { ApprovalView } from '../api/wallet.js';
import type { ApprovalDecision, ApprovalSurface } from '../wallet/approval-surface.js';
import { APPROVAL_PAGE_URL, isExactPage } from './app-origin.js';
import { isTrustedSender, type SenderFacts } from './ipc-sender.js';

/** The part of a BrowserWindow the approval prompt needs (approval-window.ts adapts the real one). */
export interface PromptWindow<C> {
  /** The window's web contents: the only IPC sender this prompt answers. */
  readonly contents: C;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  close(): void;
  onceReadyToShow(listener: () => void): void;
  onClosed(listener: () => void): void;
  /** Loads the approval page (wattlet-app://approval/approve.html). */
  load(url: string): Promise<void>;
}

interface Open<C> {
  readonly win: PromptWindow<C>;
  readonly view: ApprovalView;
  readonly decide: (d: ApprovalDecision) => void;
}

/**
 * Electron's approval surface, without Electron: one window per prompt, made by `openWindow`
 * (hidden until its page is ready). The queue in main/wallet guarantees one prompt at a time.
 * The page reads the request and answers it through two IPC calls that this class trusts only
 * from that window's top frame showing exactly the approval page; the decision must name the
 * request id the page was given. Closing the window, a load failure or an abort is a rejection,
 * never an approval.
 */
export class ApprovalPrompts<C> {
  #open: Open<C> | null = null;

  constructor(private readonly openWindow: () => PromptWindow<C>) {}

  readonly surface: ApprovalSurface & { reveal(): boolean } = {
    present: (view, signal) =>
      new Promise<ApprovalDecision>((resolve) => {
        // The queue never overlaps prompts; if it ever did, the older one is refused, not left open.
        this.#open?.decide('reject');
        if (signal.aborted) {
          resolve('reject');
          return;
        }
        const win = this.openWindow();
        let settled = false;
        const decide = (d: ApprovalDecision) => {
          if (settled) return;
          settled = true;
          if (this.#open?.win === win) this.#open = null;
          if (!win.isDestroyed()) win.close();
          resolve(d);
        };
        this.#open = { win, view, decide };
        win.onClosed(() => decide('reject'));
        signal.addEventListener('abort', () => decide('reject'), { once: true });
        win.onceReadyToShow(() => {
          if (settled || win.isDestroyed()) return;
          win.show();
          win.focus();
        });
        win.load(APPROVAL_PAGE_URL).catch(() => decide('reject'));
      }),
    reveal: () => {
      const open = this.#open;
      if (!open || open.win.isDestroyed()) return false;
      if (open.win.isMinimized()) open.win.restore();
      open.win.show();
      open.win.focus();
      return true;
    },
  };

  #trusted(sender: SenderFacts<C> | null): Open<C> | null {
    const open = this.#open;
    if (!open || open.win.isDestroyed()) return null;
    return isTrustedSender(sender, open.win.contents, (url) => isExactPage(url, APPROVAL_PAGE_URL)) ? open : null;
  }

  /** The approval page asks what it shows: the request, or null for any other sender. */
  request(sender: SenderFacts<C> | null): ApprovalView | null {
    return this.#trusted(sender)?.view ?? null;
  }

  /** The approval page answers; true when the decision was taken for the request it showed. */
  decide(sender: SenderFacts<C> | null, id: unknown, decision: unknown): boolean {
    const open = this.#trusted(sender);
    // The id binds the decision to the request this window displayed.
    if (!open || id !== open.view.id || (decision !== 'approve' && decision !== 'reject')) return false;
    open.decide(decision);
    return true;
  }

  dispose(): void {
    this.#open?.decide('reject');
  }
}
