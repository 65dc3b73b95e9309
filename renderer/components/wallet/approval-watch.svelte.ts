import type { ApprovalSummary } from '../../../main/api/wallet.js';
import { api } from '../../lib/api.js';

/**
 * What the shell knows of approvals: that some wait (summaries only, as the main window may know)
 * and a way to ask the host to show the waiting prompt again. The prompt's address and token
 * never come here: 'wallet.revealApproval' answers only whether something was shown.
 */
export class ApprovalWatch {
  approvals = $state<ApprovalSummary[]>([]);
  /** The answer to the last "show it" of the prompt on screen now. */
  revealed = $state<'shown' | 'notShown' | null>(null);
  busy = $state(false);
  error = $state<unknown>(null);

  start(): () => void {
    void this.load();
    const off = [
      api.on('wallet.approvalPending', () => void this.load()),
      api.on('wallet.approvalSettled', () => {
        this.revealed = null;
        void this.load();
      }),
    ];
    return () => off.forEach((u) => u());
  }

  async load(): Promise<void> {
    try {
      this.approvals = (await api.invoke('wallet.pendingApprovals', {})).approvals;
      this.error = null;
    } catch (e) {
      // Kept (not shown by the banner): the Wallet page shows the same channel's errors in full.
      this.error = e;
    }
  }

  async reveal(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const r = await api.invoke('wallet.revealApproval', {});
      this.revealed = r.revealed ? 'shown' : 'notShown';
    } catch (e) {
      this.error = e;
      this.revealed = 'notShown';
    } finally {
      this.busy = false;
    }
  }
}
