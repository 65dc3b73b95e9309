import type { WattletApi } from '../../../main/api/contract.js';
import type { ApprovalSummary, BackupChallenge, WalletStatus } from '../../../main/api/wallet.js';
import { Activity } from '../../lib/activity.svelte.js';
import { EventStore } from '../../lib/event-store.svelte.js';
import type { Visibility } from '../../lib/visibility.js';

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
 * gives them back (seeing them again happens in the approval window only). The status and the
 * waiting approvals are read again on the wallet's events.
 */
export class WalletStore {
  readonly activity = new Activity();
  readonly wallet: EventStore<WalletStatus>;
  readonly pending: EventStore<ApprovalSummary[]>;
  balances = $state<Record<string, string>>({});
  balanceChain = $state<string | null>(null);
  balanceError = $state<unknown>(null);
  newWords = $state<NewWords | null>(null);
  /** Key whose backup the person is confirming: the fixed positions and the tries left. */
  confirming = $state<BackupChallenge | null>(null);
  /** The words are being shown again in the approval window for this key. */
  revealing = $state<string | null>(null);
  readonly #api: WattletApi;

  constructor(api: WattletApi, visibility?: Visibility) {
    this.#api = api;
    const shown = visibility ? { visibility } : {};
    this.wallet = new EventStore(api, {
      load: async () => {
        const status = await api.invoke('wallet.status', {});
        await this.#loadBalances(status);
        return status;
      },
      on: ['wallet.changed', 'wallet.locked', 'wallet.unlocked'],
      ...shown,
    });
    this.pending = new EventStore(api, {
      load: async () => (await api.invoke('wallet.pendingApprovals', {})).approvals,
      on: ['wallet.approvalPending', 'wallet.approvalSettled'],
      ...shown,
    });
  }

  get status(): WalletStatus | null {
    return this.wallet.value ?? null;
  }

  get approvals(): ApprovalSummary[] {
    return this.pending.value ?? [];
  }

  start(): () => void {
    const stops = [this.wallet.start(), this.pending.start()];
    return () => stops.forEach((stop) => stop());
  }

  async refresh(): Promise<void> {
    await Promise.all([this.wallet.reload(), this.pending.reload()]);
  }

  async loadBalances(): Promise<void> {
    if (this.status) await this.#loadBalances(this.status);
  }

  async #loadBalances(status: WalletStatus): Promise<void> {
    if (status.accounts.length === 0) return;
    try {
      const r = await this.#api.invoke('wallet.balances', {});
      this.balanceChain = r.chainId;
      this.balances = Object.fromEntries(r.balances.map((b) => [b.address, b.wei]));
      this.balanceError = null;
    } catch (e) {
      this.balanceError = e;
    }
  }

  unlock = () => this.#act('unlock', async () => void (await this.#api.invoke('wallet.unlock', {})));
  lock = () => this.#act('lock', async () => void (await this.#api.invoke('wallet.lock', {})));

  create = (label: string) =>
    this.#act('create', async () => {
      const r = await this.#api.invoke('wallet.create', label ? { label } : {});
      this.newWords = { keyId: r.keyId, words: r.mnemonic.split(' ') };
      this.confirming = await this.#api.invoke('wallet.backupChallenge', { keyId: r.keyId });
    });

  /** The person wrote the words down: they leave memory and the screen for good. */
  wordsWritten(): void {
    this.newWords = null;
  }

  startConfirm = (keyId: string) =>
    this.#act(`confirm:${keyId}`, async () => {
      this.confirming = await this.#api.invoke('wallet.backupChallenge', { keyId });
    });

  /** True when the words matched. A refusal leaves the form with the check's new state (tries, wait). */
  confirm = (words: Array<{ position: number; word: string }>) =>
    this.#act('confirm', async () => {
      const keyId = this.confirming?.keyId;
      if (!keyId) return;
      try {
        await this.#api.invoke('wallet.confirmBackup', { keyId, words });
      } catch (e) {
        if (BACKUP_REFUSALS.has(codeOf(e))) this.confirming = await this.#api.invoke('wallet.backupChallenge', { keyId });
        throw e;
      }
      this.confirming = null;
      this.activity.say('wallet.create.confirmed');
    });

  /**
   * Asks for the words to be shown again in the approval window (never here). It answers once the
   * person closed them there: new positions, tries back. Not one of the one-at-a-time actions, so
   * the rest of the page (withdrawing the request, locking) stays usable meanwhile.
   */
  async revealWords(keyId: string): Promise<void> {
    if (this.revealing) return;
    this.revealing = keyId;
    this.activity.error = null;
    this.activity.notice = null;
    try {
      this.confirming = await this.#api.invoke('wallet.revealWords', { keyId });
      this.newWords = null;
      this.activity.say('wallet.backup.restarted');
      await this.refresh();
    } catch (e) {
      this.activity.error = e;
    } finally {
      this.revealing = null;
    }
  }

  cancelConfirm(): void {
    this.confirming = null;
    this.newWords = null;
  }

  importMnemonic = (mnemonic: string, label: string) =>
    this.#act('import', async () => void (await this.#api.invoke('wallet.import', { kind: 'mnemonic', mnemonic, ...(label ? { label } : {}) })));

  importPrivateKey = (privateKey: string, label: string) =>
    this.#act('import', async () => void (await this.#api.invoke('wallet.import', { kind: 'privateKey', privateKey, ...(label ? { label } : {}) })));

  addAccount = (keyId: string) => this.#act(`add:${keyId}`, async () => void (await this.#api.invoke('wallet.addAccount', { keyId })));
  rename = (address: string, label: string) => this.#act(`rename:${address}`, async () => void (await this.#api.invoke('wallet.rename', { address, label })));
  remove = (address: string) => this.#act(`remove:${address}`, async () => void (await this.#api.invoke('wallet.remove', { address })));
  cancelApproval = (id: string) => this.#act(`cancel:${id}`, async () => void (await this.#api.invoke('wallet.cancelApproval', { id })));

  /** One action at a time; success reads the page's data again. True when it succeeded. */
  #act(name: string, run: () => Promise<void>): Promise<boolean> {
    return this.activity.run(name, async () => {
      await run();
      await this.refresh();
    });
  }
}

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}
