import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keytarKeychain } from '../../../main/wallet/keychain.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';

let keyring: PrivateKeyring;
beforeAll(async () => {
  keyring = await startPrivateKeyring({ unlocked: true });
});
afterAll(() => keyring?.stop());

describe('keytarKeychain against a real gnome-keyring', () => {
  it('round-trips a secret under the service "Wattlet" and deletes it', async () => {
    const kc = keytarKeychain();
    const secret = JSON.stringify({ v: 1, kind: 'privateKey', key: '0x' + '11'.repeat(32) });
    expect(await kc.get('key:k-roundtrip000000')).toBeNull();
    await kc.set('key:k-roundtrip000000', secret);
    expect(await kc.get('key:k-roundtrip000000')).toBe(secret);

    // Another client of the same Secret Service sees it under service "Wattlet" (it really is in the keyring).
    const keytar = (await import('keytar')).default;
    expect(await keytar.getPassword('Wattlet', 'key:k-roundtrip000000')).toBe(secret);

    expect(await kc.delete('key:k-roundtrip000000')).toBe(true);
    expect(await kc.get('key:k-roundtrip000000')).toBeNull();
  });
});
