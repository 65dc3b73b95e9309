import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { keytarKeychain } from '../../../main/wallet/keychain.js';
import { WalletService } from '../../../main/wallet/wallet-service.js';
import { ScriptedSurface } from '../../unit/wallet/support/scripted-surface.js';

// No Secret Service at all: the bus address points nowhere, and no X display to autolaunch one.
let dataDir: string;
beforeAll(() => {
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/wattlet-test-bus';
  delete process.env.DISPLAY;
  dataDir = mkdtempSync(join(tmpdir(), 'wattlet-nokeychain-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('without a Secret Service', () => {
  it('answers KEYCHAIN_UNAVAILABLE with the platform and what to do', async () => {
    const kc = keytarKeychain();
    const e = await kc.get('key:k-0000000000000000').catch((x: unknown) => x);
    expect(isError(e, 'KEYCHAIN_UNAVAILABLE')).toBe(true);
    if (!isError(e, 'KEYCHAIN_UNAVAILABLE')) return;
    expect(e.facts.platform).toBe(process.platform);
    expect(String(e.facts.hint)).toMatch(/Secret Service|dbus-run-session/);
    expect(e.facts.operation).toBe('read');
  });

  it('creating a wallet fails and writes no secret, and no file at all, in the data folder', async () => {
    const wallet = new WalletService({
      dataDir,
      keychain: keytarKeychain(),
      surface: new ScriptedSurface(),
      autoLockSeconds: () => 300,
      provider: () => null,
      energyLedgerAddress: () => null,
    });
    const e = await wallet.create('Home').catch((x: unknown) => x);
    expect(isError(e, 'KEYCHAIN_UNAVAILABLE')).toBe(true);
    const imported = await wallet
      .import({ kind: 'privateKey', privateKey: '0x' + '22'.repeat(32) })
      .catch((x: unknown) => x);
    expect(isError(imported, 'KEYCHAIN_UNAVAILABLE')).toBe(true);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'wallet.json'))).toBe(false);
    expect(wallet.status().state).toBe('empty');
    wallet.dispose();
  });
});
