import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composedAppWithKeyring, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { WalletStore } from './wallet-store.svelte.js';

// The Wallet page's store over the app as composeServices builds it, with keys in a real (private)
// gnome-keyring on its own D-Bus: create, the backup check's refusals and its pass.
const visible = { hidden: false, onChange: () => () => {} };

describe('WalletStore', () => {
  let app: ComposedApp;
  beforeAll(async () => {
    app = await composedAppWithKeyring();
  }, 60_000);
  afterAll(async () => app?.dispose());

  it('creates a wallet: the words once, the backup check at its positions, and the key in the status', async () => {
    const store = new WalletStore(app.api, visible);
    const stop = store.start();
    try {
      await until(() => store.status?.state === 'empty');
      const creating = store.create('Home');
      expect(store.activity.busy).toBe('create');
      expect(await creating).toBe(true);
      expect(store.newWords?.words).toHaveLength(12);
      expect(store.confirming).toMatchObject({ keyId: store.newWords!.keyId, triesLeft: 3 });
      expect(store.confirming!.positions).toHaveLength(3);
      expect(store.status?.keys).toMatchObject([{ id: store.newWords!.keyId, kind: 'mnemonic', backupConfirmed: false }]);
      expect(store.status?.accounts).toMatchObject([{ keyId: store.newWords!.keyId, label: 'Home', index: 0 }]);
      store.wordsWritten();
      expect(store.newWords).toBeNull();
    } finally {
      stop();
    }
  });

  it('confirms the backup: a wrong word is refused with the tries left, too soon is refused, then the right words pass', async () => {
    const store = new WalletStore(app.api, visible);
    const stop = store.start();
    try {
      expect(await store.create('Second')).toBe(true);
      const words = store.newWords!.words;
      store.wordsWritten();
      const right = store.confirming!.positions.map((position) => ({ position, word: words[position - 1]! }));
      const wrong = right.map((w, i) => (i === 0 ? { ...w, word: w.word === 'abandon' ? 'ability' : 'abandon' } : w));

      expect(await store.confirm(wrong)).toBe(false);
      expect(store.activity.error).toMatchObject({ code: 'WALLET_BACKUP_MISMATCH' });
      expect(store.confirming?.triesLeft).toBe(2);

      expect(await store.confirm(right)).toBe(false);
      expect(store.activity.error).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' });
      const retryAt = store.confirming!.retryAt!;
      expect(retryAt).toBeGreaterThan(Date.now());

      await new Promise((r) => setTimeout(r, retryAt - Date.now() + 50));
      expect(await store.confirm(right)).toBe(true);
      expect(store.activity.error).toBeNull();
      expect(store.activity.notice).toEqual({ key: 'wallet.create.confirmed' });
      expect(store.confirming).toBeNull();
    } finally {
      stop();
    }
  }, 20_000);

  it('reads the status again when the wallet changes without this page (wallet.locked)', async () => {
    const store = new WalletStore(app.api, visible);
    const stop = store.start();
    try {
      await until(() => store.status !== null);
      if (store.status!.state !== 'unlocked') expect(await store.unlock()).toBe(true);
      await until(() => store.status?.state === 'unlocked');
      await app.api.invoke('wallet.lock', {}); // another window locks it
      await until(() => store.status?.state === 'locked');
    } finally {
      stop();
    }
  });
});
