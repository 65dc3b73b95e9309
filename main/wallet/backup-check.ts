import type { ErrorFacts } from '../api/errors.js';
import { WattletError } from '../api/errors.js';
import type { BackupChallenge, KeyInfo } from '../api/wallet.js';
import type { AccountStore, StoredKey } from './account-store.js';
import { backupAnswersMatch, pickPositions } from './backup-challenge.js';
import { BACKUP_POLICY, backupGate, retryAt, triesLeft, type BackupPolicy, type BackupState } from './backup-tries.js';
import type { WalletSecret } from './wallet-secret.js';

export interface BackupCheckDeps {
  readonly store: AccountStore;
  /** The key's secret: from the session while unlocked, else read from the keychain. */
  readonly secretOf: (keyId: string) => Promise<WalletSecret>;
  readonly clock: { now(): number };
  readonly policy?: BackupPolicy;
  /** Failed tries are logged with the key and the count, never with what was typed. */
  readonly log?: (message: string, facts: ErrorFacts) => void;
}

/**
 * The check that the person wrote their recovery words down, built so that the main window (and
 * any script in it) cannot use it to learn a word:
 *
 *  - the positions are fixed per key (chosen at creation, kept in wallet.json), so asking again
 *    or restarting never gives a new set to probe;
 *  - an answer is pass or fail, the same answer whichever word was wrong (backupAnswersMatch);
 *  - 3 tries, with a growing wait after each wrong one, then refusal until the person sees the
 *    words again on the approval surface (restart), which picks new positions;
 *  - the tries are written to disk before the answer is sent, so neither a restart nor a flood
 *    of parallel calls gets more tries (calls for one key run one at a time);
 *  - once confirmed, the check refuses: there is nothing left to learn from it.
 */
export class BackupCheck {
  readonly #policy: BackupPolicy;
  /** One try at a time per key: a burst of parallel calls cannot all pass the gate first. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(private readonly d: BackupCheckDeps) {
    this.#policy = d.policy ?? BACKUP_POLICY;
  }

  /** The state a new key from `wordCount` words starts with. */
  static fresh(wordCount: number): BackupState {
    return { positions: pickPositions(wordCount), failures: 0, lastFailureAt: null };
  }

  challenge(keyId: string): BackupChallenge {
    const key = this.d.store.key(keyId);
    return this.#describe(key.id, this.#state(key));
  }

  confirm(keyId: string, answers: ReadonlyArray<{ position: number; word: string }>): Promise<KeyInfo> {
    return this.#serial(keyId, () => this.#confirm(keyId, answers));
  }

  /**
   * The person saw the words again (on the approval surface): new positions, tries back. The
   * caller has shown them; this only resets the check.
   */
  restart(keyId: string, wordCount: number): Promise<BackupChallenge> {
    return this.#serial(keyId, async () => {
      const key = this.d.store.key(keyId);
      this.#refuseConfirmed(key);
      const next = BackupCheck.fresh(wordCount);
      this.#save(key.id, next);
      this.d.log?.('wallet: backup check restarted', { keyId: key.id });
      return this.#describe(key.id, next);
    });
  }

  /** Refuses with WALLET_BACKUP_CONFIRMED when there is nothing left to check. */
  assertOpen(keyId: string): StoredKey {
    const key = this.d.store.key(keyId);
    this.#refuseConfirmed(key);
    return key;
  }

  async #confirm(keyId: string, answers: ReadonlyArray<{ position: number; word: string }>): Promise<KeyInfo> {
    const key = this.d.store.key(keyId);
    const state = this.#state(key);
    const gate = backupGate(state, this.d.clock.now(), this.#policy);
    if (gate.kind === 'lockedOut') {
      throw new WattletError('WALLET_BACKUP_LOCKED_OUT', 'No tries left: show the words again to start over', { keyId: key.id });
    }
    if (gate.kind === 'tooSoon') {
      throw new WattletError('WALLET_BACKUP_TOO_SOON', 'Wait before the next try', { keyId: key.id, retryAt: gate.retryAt });
    }
    const secret = await this.d.secretOf(key.id);
    if (secret.kind !== 'mnemonic') {
      // Unreachable through #state (a private key is stored confirmed); kept as a coded refusal.
      throw new WattletError('WALLET_BACKUP_CONFIRMED', 'A private key has no words to confirm', { keyId: key.id });
    }
    // From the comparison to the write there is no await: the answer never leaves before the try is on disk.
    const ok = backupAnswersMatch(secret.phrase, state.positions, answers);
    if (ok) {
      this.d.store.update((data) => {
        const k = data.keys.find((x) => x.id === key.id);
        if (k) {
          k.backupConfirmed = true;
          delete k.backup;
        }
      });
      return this.d.store.keys().find((k) => k.id === key.id)!;
    }
    const failed: BackupState = { ...state, failures: state.failures + 1, lastFailureAt: this.d.clock.now() };
    this.#save(key.id, failed);
    const left = triesLeft(failed, this.#policy);
    this.d.log?.('wallet: backup confirmation failed', { keyId: key.id, attempt: failed.failures, triesLeft: left });
    throw new WattletError('WALLET_BACKUP_MISMATCH', 'The words do not match', {
      keyId: key.id,
      triesLeft: left,
      retryAt: retryAt(failed, this.#policy),
    });
  }

  /** The key's check; a key from before fixed positions gets them now, once, and keeps them. */
  #state(key: StoredKey): BackupState {
    this.#refuseConfirmed(key);
    if (key.backup) return key.backup;
    const state = BackupCheck.fresh(12); // this app has always created 12 words
    this.#save(key.id, state);
    return state;
  }

  #refuseConfirmed(key: StoredKey): void {
    if (key.backupConfirmed || key.kind !== 'mnemonic') {
      throw new WattletError('WALLET_BACKUP_CONFIRMED', 'The backup of this key is confirmed; there is nothing to check', {
        keyId: key.id,
      });
    }
  }

  #describe(keyId: string, state: BackupState): BackupChallenge {
    const gate = backupGate(state, this.d.clock.now(), this.#policy);
    return {
      keyId,
      positions: [...state.positions],
      triesLeft: triesLeft(state, this.#policy),
      retryAt: gate.kind === 'tooSoon' ? gate.retryAt : null,
      lockedOut: gate.kind === 'lockedOut',
    };
  }

  #save(keyId: string, state: BackupState): void {
    this.d.store.update((data) => {
      const k = data.keys.find((x) => x.id === keyId);
      if (k) k.backup = state;
    });
  }

  #serial<T>(keyId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(keyId) ?? Promise.resolve();
    const next = previous.then(run, run);
    const tail = next.catch(() => undefined);
    this.#queues.set(keyId, tail);
    void tail.then(() => {
      if (this.#queues.get(keyId) === tail) this.#queues.delete(keyId);
    });
    return next;
  }
}
