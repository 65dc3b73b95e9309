import type { WattletApi } from '../../../main/api/contract.js';
import type { ApprovalSummary } from '../../../main/api/wallet.js';
import { Activity } from '../../lib/activity.svelte.js';
import { EventStore } from '../../lib/event-store.svelte.js';
import type { Visibility } from '../../lib/visibility.js';

/**
 * What the shell knows of approvals: that some wait (summaries only, as the main window may know)
 * and a way to ask the host to show the waiting prompt again. The prompt's address and token
 * never come here: 'wallet.revealApproval' answers only whether something was shown.
 */
export class ApprovalWatch {
  /** Kept current by the wallet's approval events. Its errors are not shown by the banner: the Wallet page shows the same channel's in full. */
  readonly pending: EventStore<ApprovalSummary[]>;
  readonly activity = new Activity<'reveal'>();
  /** The answer to the last "show it" of the prompt on screen now. */
  revealed = $state<'shown' | 'notShown' | null>(null);
  readonly #api: WattletApi;

  constructor(api: WattletApi, visibility?: Visibility) {
    this.#api = api;
    this.pending = new EventStore(api, {
      load: async () => (await api.invoke('wallet.pendingApprovals', {})).approvals,
      on: ['wallet.approvalPending', 'wallet.approvalSettled'],
      ...(visibility ? { visibility } : {}),
    });
  }

  get approvals(): ApprovalSummary[] {
    return this.pending.value ?? [];
  }

  start(): () => void {
    const stop = this.pending.start();
    // A settled approval takes its prompt away: what "show it" answered no longer holds.
    const off = this.#api.on('wallet.approvalSettled', () => (this.revealed = null));
    return () => {
      off();
      stop();
    };
  }

  async reveal(): Promise<void> {
    if (this.activity.busy) return;
    const revealed = await this.activity.run('reveal', async () => {
      this.revealed = (await this.#api.invoke('wallet.revealApproval', {})).revealed ? 'shown' : 'notShown';
    });
    if (!revealed) this.revealed = 'notShown';
  }
}
