import type { Provider } from 'ethers';
import type { ErrorFacts } from '../api/errors.js';
import { WattletError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import type {
  Account,
  ApprovalLanguage,
  ApprovalSummary,
  BackupChallenge,
  KeyInfo,
  MessageRequest,
  SignatureRequest,
  SignatureResult,
  TransactionRequest,
  TypedDataRequest,
  WalletStatus,
} from '../api/wallet.js';
import { AccountStore } from './account-store.js';
import { ApprovalQueue } from './approval-queue.js';
import type { ApprovalSurface } from './approval-surface.js';
import { BackupCheck } from './backup-check.js';
import type { BackupPolicy } from './backup-tries.js';
import { systemClock, type Clock } from './clock.js';
import type { KnownContract } from './contract-abis.js';
import type { TokenInfo } from './field-units.js';
import type { Household } from './offer-display.js';
import { KeyManager, type ImportInput } from './key-manager.js';
import { KeySession, type LockReason } from './key-session.js';
import type { Keychain } from './keychain.js';
import { Signing, type CallsRequest, type OfferPublishRequest } from './signing.js';

export interface WalletServiceOptions {
  /** The app's data folder; the wallet keeps wallet.json there (addresses and labels only). */
  dataDir: string;
  keychain: Keychain;
  surface: ApprovalSurface;
  events?: Pick<EventBus, 'emit'>;
  clock?: Clock;
  /** Settings' autoLockSeconds, read at each unlock and activity so a change applies at once. */
  autoLockSeconds: () => number;
  /** How long one prompt may wait for a person (default 5 minutes). */
  approvalTimeoutMs?: number;
  /** The connected chain; null when none is configured. */
  provider: () => Provider | null;
  /** The configured EnergyLedger: the only verifying contract typed data may name. */
  energyLedgerAddress: () => string | null;
  /** ABIs for decoding calls on the approval surface (loadContractAbis). */
  contracts?: () => readonly KnownContract[];
  native?: TokenInfo;
  /**
   * The household's time zone and currency, for showing an offer's delivery window and price
   * (null while nothing is known: times in UTC, amounts in the chain's unit only).
   */
  household?: () => Household | null;
  /** The household's language (Settings): the approval surface speaks it (none: the browser's). */
  language?: () => ApprovalLanguage | null;
  /** Tries and waits of the backup check (default BACKUP_POLICY: 3 tries, 5 s and 30 s). */
  backupPolicy?: BackupPolicy;
  /** Operational log lines: never given a secret (tests read every line to prove it). */
  log?: (message: string, facts?: ErrorFacts) => void;
}

/**
 * The wallet room's one service: keys in the OS keychain, accounts, lock, and signing that waits
 * for a person on the approval surface. See index.ts for how the ledger and market rooms sign.
 */
export class WalletService {
  readonly #store: AccountStore;
  readonly #session: KeySession;
  readonly #queue: ApprovalQueue;
  readonly #keys: KeyManager;
  readonly #signing: Signing;
  readonly #backup: BackupCheck;
  readonly #o: WalletServiceOptions;

  constructor(options: WalletServiceOptions) {
    this.#o = options;
    const clock = options.clock ?? systemClock;
    this.#store = new AccountStore(options.dataDir);
    this.#session = new KeySession(clock, () => options.autoLockSeconds() * 1000, (reason) => this.#onLock(reason));
    this.#queue = new ApprovalQueue({
      surface: options.surface,
      clock,
      timeoutMs: options.approvalTimeoutMs ?? 5 * 60_000,
      ...(options.language ? { language: options.language } : {}),
      onPending: (s) => {
        this.#log('approval pending', { id: s.id, kind: s.kind });
        options.events?.emit('wallet.approvalPending', s);
      },
      onSettled: (id, outcome) => {
        this.#log('approval settled', { id, outcome });
        options.events?.emit('wallet.approvalSettled', { id, outcome });
      },
    });
    this.#keys = new KeyManager(this.#store, options.keychain, this.#session, clock);
    this.#backup = new BackupCheck({
      store: this.#store,
      secretOf: (keyId) => this.#keys.secretOf(keyId),
      clock,
      ...(options.backupPolicy ? { policy: options.backupPolicy } : {}),
      log: (message, facts) => options.log?.(message, facts),
    });
    this.#signing = new Signing({
      store: this.#store,
      session: this.#session,
      queue: this.#queue,
      provider: options.provider,
      energyLedgerAddress: options.energyLedgerAddress,
      contracts: options.contracts ?? (() => []),
      native: options.native ?? { symbol: 'ETH', decimals: 18 },
      household: options.household ?? (() => null),
    });
  }

  status(): WalletStatus {
    const keys = this.#store.keys();
    return {
      state: keys.length === 0 ? 'empty' : this.#session.unlocked ? 'unlocked' : 'locked',
      autoLockAt: this.#session.autoLockAt,
      keys,
      accounts: this.#store.accounts(),
      pendingApprovals: this.#queue.size,
    };
  }

  accounts(): Account[] {
    return this.#store.accounts();
  }

  /** The only answer that carries a secret to the UI: the new words, once, for the backup. */
  async create(label?: string) {
    const created = await this.#keys.create(label);
    this.#changed('key created', { keyId: created.keyId });
    return created;
  }

  /** The fixed positions and the tries left; refused once confirmed (see backup-check.ts). */
  backupChallenge(keyId: string): BackupChallenge {
    return this.#backup.challenge(keyId);
  }

  /** Pass or fail only; a few tries with growing waits, then refused until the words are shown again. */
  async confirmBackup(keyId: string, words: ReadonlyArray<{ position: number; word: string }>): Promise<KeyInfo> {
    const key = await this.#backup.confirm(keyId, words);
    this.#changed('backup confirmed', { keyId });
    return key;
  }

  /**
   * Shows the key's words again, on the approval surface only (view kind 'revealWords'), and once
   * the person closes them there as written down, starts the backup check over: new positions,
   * tries back. The caller (the main window) gets the new challenge, never the words.
   */
  async revealWords(keyId: string): Promise<BackupChallenge> {
    this.#backup.assertOpen(keyId);
    const secret = await this.#keys.secretOf(keyId);
    if (secret.kind !== 'mnemonic') {
      throw new WattletError('WALLET_BACKUP_CONFIRMED', 'A private key has no words to show', { keyId });
    }
    const words = secret.phrase.split(' ');
    const from = this.#store.accounts().find((a) => a.keyId === keyId)?.address;
    if (!from) throw new WattletError('WALLET_KEY_UNKNOWN', `No account of key ${keyId}`, { keyId });
    await this.#queue.request({ kind: 'revealWords', from, keyId, words }, `Show the recovery words of ${from}`);
    const challenge = await this.#backup.restart(keyId, words.length);
    this.#changed('recovery words shown again', { keyId });
    return challenge;
  }

  async import(input: ImportInput, label?: string) {
    const imported = await this.#keys.import(input, label);
    this.#changed('key imported', { keyId: imported.keyId, kind: input.kind });
    return imported;
  }

  addAccount(keyId: string, label?: string): Account {
    const account = this.#keys.addAccount(keyId, label);
    this.#changed('account added', { address: account.address });
    return account;
  }

  rename(address: string, label: string): Account {
    const account = this.#keys.rename(address, label);
    this.#changed('account renamed', { address });
    return account;
  }

  /**
   * Deleting a key is as final as a signature is binding, so the last account of a key (which
   * takes the keychain entry with it) is removed only after a person approves on the surface:
   * a script in the main window cannot destroy a household's key.
   */
  async remove(address: string) {
    const account = this.#store.account(address);
    const siblings = this.#store.accounts().filter((a) => a.keyId === account.keyId);
    if (siblings.length === 1) {
      const key = this.#store.key(account.keyId);
      await this.#queue.request(
        {
          kind: 'removeKey',
          from: account.address,
          keyId: key.id,
          keyKind: key.kind,
          backupConfirmed: key.backupConfirmed,
          addresses: siblings.map((a) => a.address),
        },
        `Delete the key of ${account.address} from this computer`,
      );
    }
    const removed = await this.#keys.remove(address);
    this.#changed('account removed', { address, keyRemoved: removed.keyRemoved });
    if (this.#store.keys().length === 0) this.#session.lock('removed');
    return removed;
  }

  /** Reads the keys from the OS keychain into memory (the OS may ask the person). */
  async unlock(): Promise<WalletStatus> {
    const secrets = await this.#keys.readAll();
    const autoLockAt = this.#session.unlock(secrets);
    this.#log('unlocked', { keys: secrets.size, autoLockAt });
    this.#o.events?.emit('wallet.unlocked', { autoLockAt });
    return this.status();
  }

  lock(): WalletStatus {
    this.#session.lock('explicit');
    return this.status();
  }

  async balances(): Promise<{ chainId: string; balances: Array<{ address: string; wei: string }> }> {
    const provider = this.#o.provider();
    if (!provider) throw new WattletError('WALLET_NO_CHAIN', 'No chain is connected', {});
    try {
      const { chainId } = await provider.getNetwork();
      const balances = await Promise.all(
        this.#store.accounts().map(async (a) => ({ address: a.address, wei: (await provider.getBalance(a.address)).toString() })),
      );
      return { chainId: chainId.toString(), balances };
    } catch (e) {
      throw new WattletError('WALLET_NO_CHAIN', 'The chain does not answer', {}, { cause: e });
    }
  }

  pendingApprovals(): ApprovalSummary[] {
    return this.#queue.pending();
  }

  /**
   * Asks the surface to show the waiting prompt again. The main window learns only whether it
   * was shown; the surface's address and token never come back through here.
   */
  revealApproval(): boolean {
    if (!this.#queue.presenting) return false;
    const revealed = this.#o.surface.reveal?.() ?? false;
    this.#log('approval revealed', { revealed });
    return revealed;
  }

  cancelApproval(id: string): boolean {
    return this.#queue.cancel(id);
  }

  // ── The internal signer API (ledger and market rooms). Each waits for a person's approval. ──

  signTypedData(req: Omit<TypedDataRequest, 'kind'>): Promise<{ kind: 'typedData'; signature: string }> {
    return this.#signing.signTypedData({ ...req, kind: 'typedData' });
  }

  /** One approval: signs an EnergyLedger offer and publishes it (see Signing.publishOffer). */
  publishOffer(req: Omit<OfferPublishRequest, 'kind'>): Promise<{ signature: string; hash: string }> {
    return this.#signing.publishOffer({ ...req, kind: 'typedData' });
  }

  /** One approval for transactions sent in order, each after the one before is mined (a token purchase). */
  sendCalls(req: CallsRequest): Promise<{ hashes: string[] }> {
    return this.#signing.sendCalls(req);
  }

  signMessage(req: Omit<MessageRequest, 'kind' | 'encoding'> & { encoding?: 'utf8' | 'hex' }) {
    return this.#signing.signMessage({ ...req, kind: 'message', encoding: req.encoding ?? 'utf8' });
  }

  sendTransaction(
    req: Omit<TransactionRequest, 'kind' | 'value' | 'data'> & { value?: string; data?: string },
  ): Promise<{ kind: 'transaction'; hash: string }> {
    return this.#signing.sendTransaction({ ...req, kind: 'transaction', value: req.value ?? '0', data: req.data ?? '0x' });
  }

  /** The channel's entry: one request of any kind. */
  requestSignature(req: SignatureRequest): Promise<SignatureResult> {
    switch (req.kind) {
      case 'typedData':
        return this.#signing.signTypedData(req);
      case 'message':
        return this.#signing.signMessage(req);
      case 'transaction':
        return this.#signing.sendTransaction(req);
    }
  }

  dispose(): void {
    this.#queue.dispose();
    this.#session.dispose();
  }

  #onLock(reason: LockReason): void {
    // Nothing queued may be signed after the key is gone, nor by the next unlock.
    this.#queue.cancelAll(new WattletError('WALLET_LOCKED', 'The wallet locked while the request waited', { reason }));
    this.#log('locked', { reason });
    this.#o.events?.emit('wallet.locked', { reason });
  }

  #changed(message: string, facts: ErrorFacts): void {
    this.#log(message, facts);
    this.#o.events?.emit('wallet.changed', {});
  }

  #log(message: string, facts?: ErrorFacts): void {
    this.#o.log?.(`wallet: ${message}`, facts);
  }
}
