import { WattletError } from '../api/errors.js';
import type { ApprovalView } from '../api/wallet.js';

export type ApprovalDecision = 'approve' | 'reject';

/**
 * Where a person approves or rejects one request: a place the main window's scripts cannot
 * reach. Electron: a separate modal window with its own preload (main/app/approval-window.ts).
 * Browser host: a separate page behind a one-time token delivered out of band
 * (main/host/approval-route.ts).
 *
 * `present` shows the decoded request and resolves with the person's decision. When `signal`
 * aborts (timeout, lock, cancellation) the surface must close the prompt and may resolve
 * either way: the queue ignores a decision that arrives after the abort.
 */
export interface ApprovalSurface {
  present(view: ApprovalView, signal: AbortSignal): Promise<ApprovalDecision>;
  /**
   * Shows the prompt on screen now again (the person lost it behind other windows or closed the
   * browser tab): Electron raises and focuses the approval window, the browser host delivers the
   * page's address again through its own out-of-band path. Answers true when something was shown.
   * The main window asks for this through 'wallet.revealApproval' and learns only the boolean:
   * never the page's address or token. Optional: a surface without it answers false.
   */
  reveal?(): boolean;
}

/**
 * For a host with no place to ask a person (the CLI): every request is refused, so nothing can
 * be signed there by accident. Never an auto-approving surface.
 */
export const noApprovalSurface: ApprovalSurface = {
  present: () =>
    Promise.reject(new WattletError('APPROVAL_CANCELLED', 'This host has no approval surface; sign in the app', {})),
};
