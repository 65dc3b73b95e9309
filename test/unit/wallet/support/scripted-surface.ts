import type { ApprovalView } from '../../../../main/api/wallet.js';
import type { ApprovalDecision, ApprovalSurface } from '../../../../main/wallet/approval-surface.js';

interface Prompt {
  view: ApprovalView;
  signal: AbortSignal;
  decide(decision: ApprovalDecision): void;
}

/**
 * The person at the approval surface, played by the test: every prompt is recorded, and nothing
 * is decided until the test says so. A test that never calls decide() proves that a request
 * cannot complete without the surface.
 */
export class ScriptedSurface implements ApprovalSurface {
  readonly shown: ApprovalView[] = [];
  readonly #open: Prompt[] = [];
  readonly #waiters: Array<(p: Prompt) => void> = [];
  /** Most prompts open at once, ever: the queue promises one. */
  maxOpen = 0;
  /** Times the wallet asked to show the open prompt again. */
  reveals = 0;

  /** As a real surface: true when a prompt is open to be shown again. */
  reveal(): boolean {
    this.reveals++;
    return this.#open.length > 0;
  }

  present(view: ApprovalView, signal: AbortSignal): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      const prompt: Prompt = {
        view,
        signal,
        decide: (d) => {
          this.#remove(prompt);
          resolve(d);
        },
      };
      this.shown.push(view);
      this.#open.push(prompt);
      this.maxOpen = Math.max(this.maxOpen, this.#open.length);
      signal.addEventListener('abort', () => this.#remove(prompt), { once: true });
      const waiter = this.#waiters.shift();
      if (waiter) waiter(prompt);
    });
  }

  get openCount(): number {
    return this.#open.length;
  }

  /** The prompt on screen now, or the next one to appear. */
  next(): Promise<Prompt> {
    const open = this.#open[0];
    if (open) return Promise.resolve(open);
    return new Promise((ok) => this.#waiters.push(ok));
  }

  #remove(p: Prompt): void {
    const i = this.#open.indexOf(p);
    if (i >= 0) this.#open.splice(i, 1);
  }
}
