import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { keytarKeychain } from '../../../main/wallet/keychain.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';

// gnome-keyring running, but its login collection locked and no prompter to unlock it.
let keyring: PrivateKeyring;
beforeAll(async () => {
  delete process.env.DISPLAY;
  keyring = await startPrivateKeyring({ unlocked: false });
});
afterAll(() => keyring?.stop());

describe('with a locked keyring', () => {
  it('storing a key answers KEYCHAIN_UNAVAILABLE with a hint, never a silent success', async () => {
    const e = await keytarKeychain()
      .set('key:k-1111111111111111', 'not stored')
      .catch((x: unknown) => x);
    expect(isError(e, 'KEYCHAIN_UNAVAILABLE')).toBe(true);
    if (!isError(e, 'KEYCHAIN_UNAVAILABLE')) return;
    expect(e.facts.operation).toBe('write');
    expect(String(e.facts.detail)).toMatch(/locked/i);
    expect(String(e.facts.hint)).toMatch(/unlock/i);
  });
});
