import { WattletError } from '../api/errors.js';

/** The keychain service name every Wattlet secret is stored under. */
export const KEYCHAIN_SERVICE = 'Wattlet';

/**
 * The OS keychain, narrowed to what the wallet needs. The service takes it as a dependency so
 * tests can count calls; the real one (keytarKeychain) is the only place a secret is persisted.
 * There is deliberately no file-backed implementation: when the keychain is unavailable the
 * wallet fails with KEYCHAIN_UNAVAILABLE and says what to do.
 */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was deleted. */
  delete(account: string): Promise<boolean>;
}

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** What to do, per platform, when the keychain refuses. Shown with KEYCHAIN_UNAVAILABLE. */
export function keychainHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock the login keychain in Keychain Access and allow Wattlet when macOS asks.';
    case 'win32':
      return 'Sign in to Windows with your own account so Credential Manager is available.';
    default:
      return (
        'Start a Secret Service (GNOME Keyring or KWallet) in your desktop session and unlock it; ' +
        'over SSH or in a container run inside `dbus-run-session` with gnome-keyring-daemon unlocked.'
      );
  }
}

/** Wraps any keychain failure so no caller ever sees a raw D-Bus message or falls back elsewhere. */
export function keychainUnavailable(platform: NodeJS.Platform, operation: string, cause: unknown): WattletError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WattletError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is unavailable (${operation}): ${detail.slice(0, 200)}`,
    { platform, operation, hint: keychainHint(platform), detail: detail.slice(0, 200) },
    { cause },
  );
}

export interface KeytarKeychainOptions {
  service?: string;
  platform?: NodeJS.Platform;
  /** Loads keytar; injectable so the failure to load the native module is testable. */
  load?: () => Promise<KeytarModule>;
}

async function loadKeytar(): Promise<KeytarModule> {
  const mod = (await import('keytar')) as unknown as KeytarModule & { default?: KeytarModule };
  return mod.default ?? mod;
}

/**
 * The real keychain: keytar → macOS Keychain, Windows Credential Vault, or the freedesktop
 * Secret Service (GNOME Keyring, KWallet) over D-Bus. keytar is loaded lazily so a missing
 * libsecret or D-Bus becomes KEYCHAIN_UNAVAILABLE at first use rather than a crash at start.
 */
export function keytarKeychain(options: KeytarKeychainOptions = {}): Keychain {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const platform = options.platform ?? process.platform;
  const load = options.load ?? loadKeytar;
  let keytar: Promise<KeytarModule> | null = null;

  function module(): Promise<KeytarModule> {
    // A failed load is retried next time (the person may have started their keyring meanwhile).
    keytar ??= load().catch((e: unknown) => {
      keytar = null;
      throw e;
    });
    return keytar;
  }

  async function run<T>(operation: string, fn: (k: KeytarModule) => Promise<T>): Promise<T> {
    try {
      return await fn(await module());
    } catch (e) {
      throw keychainUnavailable(platform, operation, e);
    }
  }

  return {
    get: (account) => run('read', (k) => k.getPassword(service, account)),
    set: (account, secret) => run('write', (k) => k.setPassword(service, account, secret)),
    delete: (account) => run('delete', (k) => k.deletePassword(service, account)),
  };
}
