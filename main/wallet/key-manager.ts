import { randomBytes } from 'node:crypto';
import { WattletError } from '../api/errors.js';
import type { Account } from '../api/wallet.js';
import type { AccountStore } from './account-store.js';
import { BackupCheck } from './backup-check.js';
import type { BackupState } from './backup-tries.js';
import type { Keychain } from './keychain.js';
import type { KeySession } from './key-session.js';
import {
  addressOf,
  decodeSecret,
  encodeSecret,
  hdPath,
  newMnemonicSecret,
  parseImport,
  type WalletSecret,
} from './wallet-secret.js';

/** The keychain account of one key: the service is "Wattlet", the account names the key. */
export const keychainAccount = (keyId: string): string => `key:${keyId}`;

export type ImportInput = { kind: 'mnemonic'; mnemonic: string } | { kind: 'privateKey'; privateKey: string };

/**
 * Keys and accounts: what is created, imported, derived, renamed and removed. Secrets go to the
 * keychain and (while unlocked) the session; the store only ever receives addresses and labels.
 */
export class KeyManager {
  constructor(
    private readonly store: AccountStore,
    private readonly keychain: Keychain,
    private readonly session: KeySession,
    private readonly clock: { now(): number },
  ) {}

  /**
   * New words: stored in the keychain first, so no file ever lists a key the keychain lacks. The
   * backup check's positions are fixed here, with the key, and answered with the words: this is
   * the one answer that carries them.
   */
  async create(label?: string): Promise<{ keyId: string; mnemonic: string; account: Account; positions: number[] }> {
    const secret = newMnemonicSecret();
    const backup = BackupCheck.fresh(secret.phrase.split(' ').length);
    const { keyId, account } = await this.#add(secret, false, label, backup);
    return { keyId, mnemonic: secret.phrase, account, positions: [...backup.positions] };
  }

  /** A key's secret: from memory while unlocked, else read from the keychain (the OS may ask). */
  async secretOf(keyId: string): Promise<WalletSecret> {
    this.store.key(keyId);
    // Locked (or the key is not in memory): the keychain has it.
    return this.session.has(keyId) ? this.session.secret(keyId) : this.#readSecret(keyId);
  }

  /** Imported secrets count as backed up: the person already holds them. */
  async import(input: ImportInput, label?: string): Promise<{ keyId: string; account: Account }> {
    const secret = parseImport(input);
    const fingerprint = addressOf(secret, secret.kind === 'mnemonic' ? 0 : null);
    const existing = this.store.storedKeys().find((k) => k.fingerprint === fingerprint);
    if (existing) {
      throw new WattletError('WALLET_KEY_EXISTS', `This key is already in the wallet as ${existing.id}`, {
        keyId: existing.id,
      });
    }
    return this.#add(secret, true, label);
  }

  /** The lowest unused HD index of the key, so a removed account comes back at its old address. */
  addAccount(keyId: string, label?: string): Account {
    const key = this.store.key(keyId);
    if (key.kind !== 'mnemonic') throw new WattletError('WALLET_NOT_HD', 'A private key has exactly one account', { keyId });
    const secret = this.session.secret(keyId);
    const used = new Set(this.store.accounts().filter((a) => a.keyId === keyId).map((a) => a.index));
    let index = 0;
    while (used.has(index)) index++;
    const account: Account = {
      address: addressOf(secret, index),
      label: label ?? `Account ${this.store.accounts().length + 1}`,
      keyId,
      index,
      path: hdPath(index),
    };
    this.store.update((d) => void d.accounts.push(account));
    return account;
  }

  rename(address: string, label: string): Account {
    const account = this.store.account(address);
    this.store.update((d) => {
      const a = d.accounts.find((x) => x.address === account.address);
      if (a) a.label = label;
    });
    return this.store.account(address);
  }

  /** Forgets an account; with the key's last account, the keychain entry is deleted too. */
  async remove(address: string): Promise<{ address: string; keyRemoved: boolean }> {
    const account = this.store.account(address);
    const last = this.store.accounts().filter((a) => a.keyId === account.keyId).length === 1;
    if (last) {
      await this.keychain.delete(keychainAccount(account.keyId));
      this.session.forget(account.keyId);
    }
    this.store.update((d) => {
      d.accounts = d.accounts.filter((a) => a.address !== account.address);
      if (last) d.keys = d.keys.filter((k) => k.id !== account.keyId);
    });
    return { address: account.address, keyRemoved: last };
  }

  /** Reads every key from the keychain: this is what "unlock" means in the keychain model. */
  async readAll(): Promise<Map<string, WalletSecret>> {
    const keys = this.store.storedKeys();
    if (keys.length === 0) throw new WattletError('WALLET_EMPTY', 'Create or import a wallet first', {});
    const secrets = new Map<string, WalletSecret>();
    for (const k of keys) secrets.set(k.id, await this.#readSecret(k.id));
    return secrets;
  }

  async #readSecret(keyId: string): Promise<WalletSecret> {
    const stored = await this.keychain.get(keychainAccount(keyId));
    if (stored === null) {
      throw new WattletError('KEYCHAIN_ENTRY_MISSING', `The OS keychain has no entry for ${keyId}`, {
        keyId,
        service: 'Wattlet',
        account: keychainAccount(keyId),
      });
    }
    return decodeSecret(stored, keyId);
  }

  async #add(
    secret: WalletSecret,
    backupConfirmed: boolean,
    label?: string,
    backup?: BackupState,
  ): Promise<{ keyId: string; account: Account }> {
    const keyId = `k-${randomBytes(8).toString('hex')}`;
    const index = secret.kind === 'mnemonic' ? 0 : null;
    const address = addressOf(secret, index);
    if (this.store.accounts().some((a) => a.address === address)) {
      throw new WattletError('WALLET_KEY_EXISTS', `${address} is already in the wallet`, { address });
    }
    await this.keychain.set(keychainAccount(keyId), encodeSecret(secret));
    const account: Account = {
      address,
      label: label ?? `Account ${this.store.accounts().length + 1}`,
      keyId,
      index,
      path: index === null ? null : hdPath(index),
    };
    try {
      this.store.update((d) => {
        d.keys.push({
          id: keyId,
          kind: secret.kind,
          backupConfirmed,
          createdAt: this.clock.now(),
          fingerprint: address,
          ...(backup ? { backup } : {}),
        });
        d.accounts.push(account);
      });
    } catch (e) {
      // No keychain entry without its line in the file: it could never be listed or removed.
      await this.keychain.delete(keychainAccount(keyId)).catch(() => false);
      throw e;
    }
    this.session.add(keyId, secret);
    return { keyId, account };
  }
}
