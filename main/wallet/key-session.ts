import { WattletError } from '../api/errors.js';
import type { Clock } from './clock.js';
import type { WalletSecret } from './wallet-secret.js';

export type LockReason = 'explicit' | 'timeout' | 'removed';

/**
 * The only place an unlocked secret lives: main-process memory, from unlock until the auto-lock
 * timeout or an explicit lock. Locking drops every reference. (JavaScript strings cannot be
 * wiped in place; dropping the references is as far as a managed runtime lets us go, which is
 * why the window of time is kept short and the secret never leaves this process.)
 */
export class KeySession {
  #secrets: Map<string, WalletSecret> | null = null;
  #timer: { cancel(): void } | null = null;
  #autoLockAt: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly autoLockMs: () => number,
    private readonly onLock: (reason: LockReason) => void,
  ) {}

  get unlocked(): boolean {
    return this.#secrets !== null;
  }

  get autoLockAt(): number | null {
    return this.#autoLockAt;
  }

  /** Holds the secrets and (re)starts the auto-lock countdown. */
  unlock(secrets: Map<string, WalletSecret>): number {
    if (this.#secrets !== secrets) this.#secrets?.clear();
    this.#secrets = secrets;
    return this.touch();
  }

  /** Activity (an approved signature) restarts the countdown, as a person would expect. */
  touch(): number {
    if (!this.#secrets) throw new WattletError('WALLET_LOCKED', 'The wallet is locked');
    this.#timer?.cancel();
    const ms = this.autoLockMs();
    this.#autoLockAt = this.clock.now() + ms;
    this.#timer = this.clock.setTimeout(() => this.lock('timeout'), ms);
    return this.#autoLockAt;
  }

  /** True when the key is unlocked in memory now. */
  has(keyId: string): boolean {
    return this.#secrets?.has(keyId) ?? false;
  }

  secret(keyId: string): WalletSecret {
    const s = this.#secrets?.get(keyId);
    if (!this.#secrets) throw new WattletError('WALLET_LOCKED', 'The wallet is locked; unlock it first');
    if (!s) throw new WattletError('WALLET_KEY_UNKNOWN', `Key ${keyId} is not unlocked`, { keyId });
    return s;
  }

  /** Adds a key created or imported while unlocked, so it is usable without a new unlock. */
  add(keyId: string, secret: WalletSecret): void {
    this.#secrets?.set(keyId, secret);
  }

  forget(keyId: string): void {
    this.#secrets?.delete(keyId);
  }

  lock(reason: LockReason): void {
    const was = this.#secrets !== null;
    this.#secrets?.clear();
    this.#secrets = null;
    this.#timer?.cancel();
    this.#timer = null;
    this.#autoLockAt = null;
    if (was) this.onLock(reason);
  }

  dispose(): void {
    this.lock('explicit');
  }
}
