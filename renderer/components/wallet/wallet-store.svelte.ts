import type { ApprovalSummary, BackupChallenge, WalletStatus } from '../../../main/api/wallet.js';
import { api } from '../../lib/api.js';

/** The new words between `wallet.create` and the person saying they wrote them down. */
export interface NewWords {
  keyId: string;
  words: string[];
}

/** Codes after which the backup check's state (tries, wait, lockout) has changed. */
const BACKUP_REFUSALS = new Set(['WALLET_BACKUP_MISMATCH', 'WALLET_BACKUP_TOO_SOON', 'WALLET_BACKUP_LOCKED_OUT']);

/**
 * The Wallet page's state. Holds no secret except, briefly, the new recovery words of a wallet
 * just created: they are dropped as soon as the person says they wrote them down, and no channel
 * gives them back (seeing them again happens in the approval window only). Refreshes itself on
 * the wallet's events.
 */
export class WalletStore {
  status = $state<WalletStatus | null>(null);
  balances = $state<Record<string, string>>({});
  balanceChain = $state<string | null>(null);
  balanceError = $state<unknown>(null);
  approvals = $state<ApprovalSummary[]>([]);
  newWords = $state<NewWords | null>(null);
  /** Key whose backup the person is confirming: the fixed positions and the tries left. */
  confirming = $state<BackupChallenge | null>(null);
  /** The words are being shown again in the approval window for this key. */
  revealing = $state<string | null>(null);
  busy = $state<string | null>(null);
  error = $state<unknown>(null);
  notice = $state<string | null>(null);
  #unsubscribe: Array<() => void> = [];

  start(): () => void {
    void this.refresh();
    this.#unsubscribe = [
      api.on('wallet.changed', () => void this.refresh()),
      api.on('wallet.locked', () => void this.refresh()),
      api.on('wallet.unlocked', () => void this.refresh()),
      api.on('wallet.approvalPending', () => void this.loadApprovals()),
      api.on('wallet.approvalSettled', () => void this.loadApprovals()),
    ];
    return () => this.#unsubscribe.splice(0).forEach((u) => u());
  }

  async refresh(): Promise<void> {
    try {
      this.status = await api.invoke('wallet.status', {});
      await Promise.all([this.loadApprovals(), this.loadBalances()]);
    } catch (e) {
      this.error = e;
    }
  }

  async loadApprovals(): Promise<void> {
    this.approvals = (await api.invoke('wallet.pendingApprovals', {})).approvals;
  }

  async loadBalances(): Promise<void> {
    if (!this.status || this.status.accounts.length === 0) return;
    try {
      const r = await api.invoke('wallet.balances', {});
      this.balanceChain = r.chainId;
      this.balances = Object.fromEntries(r.balances.map((b) => [b.address, b.wei]));
      this.balanceError = null;
    } catch (e) {
      this.balanceError = e;
    }
  }

  unlock = () => this.#act('unlock', async () => void (this.status = await api.invoke('wallet.unlock', {})));
  lock = () => this.#act('lock', async () => void (this.status = await api.invoke('wallet.lock', {})));

  create = (label: string) =>
    this.#act('create', async () => {
      const r = await api.invoke('wallet.create', label ? { label } : {});
      this.newWords = { keyId: r.keyId, words: r.mnemonic.split(' ') };
      this.confirming = await api.invoke('wallet.backupChallenge', { keyId: r.keyId });
    });

  /** The person wrote the words down: they leave memory and the screen for good. */
  wordsWritten(): void {
    this.newWords = null;
  }

  startConfirm = (keyId: string) =>
    this.#act(`confirm:${keyId}`, async () => {
      this.confirming = await api.invoke('wallet.backupChallenge', { keyId });
    });

  /** True when the words matched. A refusal leaves the form with the check's new state (tries, wait). */
  confirm = (words: Array<{ position: number; word: string }>) =>
    this.#act('confirm', async () => {
      const keyId = this.confirming?.keyId;
      if (!keyId) return;
      try {
        await api.invoke('wallet.confirmBackup', { keyId, words });
      } catch (e) {
        if (BACKUP_REFUSALS.has(codeOf(e))) this.confirming = await api.invoke('wallet.backupChallenge', { keyId });
        throw e;
      }
      this.confirming = null;
      this.notice = 'wallet.create.confirmed';
    });

  /**
   * Asks for the words to be shown again in the approval window (never here). It answers once the
   * person closed them there: new positions, tries back. Not one of the one-at-a-time actions, so
   * the rest of the page (withdrawing the request, locking) stays usable meanwhile.
   */
  async revealWords(keyId: string): Promise<void> {
    if (this.revealing) return;
    this.revealing = keyId;
    this.error = null;
    this.notice = null;
    try {
      this.confirming = await api.invoke('wallet.revealWords', { keyId });
      this.newWords = null;
      this.notice = 'wallet.backup.restarted';
      await this.refresh();
    } catch (e) {
      this.error = e;
    } finally {
      this.revealing = null;
    }
  }

  cancelConfirm(): void {
    this.confirming = null;
    this.newWords = null;
  }

  importMnemonic = (mnemonic: string, label: string) =>
    this.#act('import', async () => void (await api.invoke('wallet.import', { kind: 'mnemonic', mnemonic, ...(label ? { label } : {}) })));

  importPrivateKey = (privateKey: string, label: string) =>
    this.#act('import', async () => void (await api.invoke('wallet.import', { kind: 'privateKey', privateKey, ...(label ? { label } : {}) })));

  addAccount = (keyId: string) => this.#act(`add:${keyId}`, async () => void (await api.invoke('wallet.addAccount', { keyId })));
  rename = (address: string, label: string) => this.#act(`rename:${address}`, async () => void (await api.invoke('wallet.rename', { address, label })));
  remove = (address: string) => this.#act(`remove:${address}`, async () => void (await api.invoke('wallet.remove', { address })));
  cancelApproval = (id: string) => this.#act(`cancel:${id}`, async () => void (await api.invoke('wallet.cancelApproval', { id })));

  /** One action at a time; its error is shown, and success refreshes the page's data. */
  async #act(name: string, run: () => Promise<void>): Promise<boolean> {
    this.busy = name;
    this.error = null;
    this.notice = null;
    try {
      await run();
      await this.refresh();
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.busy = null;
    }
  }
}

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}
