import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { WattletError } from '../api/errors.js';
import { accountSchema, keyInfoSchema, type Account, type KeyInfo } from '../api/wallet.js';
import { backupStateSchema } from './backup-tries.js';

/**
 * The wallet's own file in the data folder: addresses and labels, never a secret. The schema has
 * no field a secret could go into, and parse() strips unknown fields, so a bug elsewhere cannot
 * persist one here by accident.
 */
const storedKeySchema = keyInfoSchema.extend({
  /** Address of account 0: how a second import of the same secret is recognised. */
  fingerprint: z.string(),
  /**
   * The backup check of words this app created, until it is confirmed: fixed positions and the
   * tries used (see backup-tries.ts). Absent for imported and confirmed keys.
   */
  backup: backupStateSchema.optional(),
});
export type StoredKey = z.infer<typeof storedKeySchema>;

const fileSchema = z.object({
  version: z.literal(1),
  keys: z.array(storedKeySchema),
  accounts: z.array(accountSchema),
});
type WalletFile = z.infer<typeof fileSchema>;

export const WALLET_FILE_NAME = 'wallet.json';

export class AccountStore {
  readonly path: string;
  /** A damaged file is kept as an error, so the app still starts and every wallet call says why. */
  #loaded: WalletFile | WattletError;

  constructor(dataDir: string) {
    this.path = join(dataDir, WALLET_FILE_NAME);
    try {
      this.#loaded = this.#read();
    } catch (e) {
      if (!(e instanceof WattletError)) throw e;
      this.#loaded = e;
    }
  }

  get #data(): WalletFile {
    if (this.#loaded instanceof WattletError) throw this.#loaded;
    return this.#loaded;
  }

  keys(): KeyInfo[] {
    return this.#data.keys.map(({ fingerprint: _f, backup: _b, ...info }) => ({ ...info }));
  }

  storedKeys(): readonly StoredKey[] {
    return this.#data.keys;
  }

  key(id: string): StoredKey {
    const key = this.#data.keys.find((k) => k.id === id);
    if (!key) throw new WattletError('WALLET_KEY_UNKNOWN', `No key ${id}`, { keyId: id });
    return key;
  }

  accounts(): Account[] {
    return this.#data.accounts.map((a) => ({ ...a }));
  }

  account(address: string): Account {
    const a = this.#data.accounts.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (!a) throw new WattletError('WALLET_ACCOUNT_UNKNOWN', `No account ${address}`, { address });
    return { ...a };
  }

  /** Applies a change and writes the file atomically (temp file + rename); never over a damaged file. */
  update(change: (data: WalletFile) => void): void {
    const next = structuredClone(this.#data);
    change(next);
    const checked = fileSchema.parse(next);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(checked, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
    this.#loaded = checked;
  }

  #read(): WalletFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [], accounts: [] };
      throw e;
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch (e) {
      throw new WattletError('WALLET_STORE_CORRUPT', `${this.path} is not a valid wallet file`, { path: this.path }, {
        cause: e,
      });
    }
  }
}
