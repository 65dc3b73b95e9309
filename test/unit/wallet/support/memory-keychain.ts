import type { Keychain } from '../../../../main/wallet/keychain.js';

/** Test double for unit tests only; the product has no non-OS keychain on purpose. */
export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  reads = 0;
  async get(account: string) {
    this.reads++;
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.entries.set(account, secret);
  }
  async delete(account: string) {
    return this.entries.delete(account);
  }
}
