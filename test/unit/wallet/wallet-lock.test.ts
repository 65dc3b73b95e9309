import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/event-bus.js';
import { isError } from '../../../main/api/errors.js';
import { WalletService } from '../../../main/wallet/wallet-service.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryKeychain } from './support/memory-keychain.js';
import { ScriptedSurface } from './support/scripted-surface.js';

const KEY = '0x' + '42'.repeat(32);
let dir: string;
let clock: ManualClock;
let keychain: MemoryKeychain;
let surface: ScriptedSurface;
let events: Array<{ event: string; payload: unknown }>;
let wallet: WalletService;
let autoLock = 60;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-lock-'));
  clock = new ManualClock();
  keychain = new MemoryKeychain();
  surface = new ScriptedSurface();
  events = [];
  const bus = new EventBus();
  bus.subscribeAll((event, payload) => events.push({ event, payload }));
  wallet = new WalletService({
    dataDir: dir,
    keychain,
    surface,
    clock,
    events: bus,
    autoLockSeconds: () => autoLock,
    provider: () => null,
    energyLedgerAddress: () => null,
  });
});
afterEach(() => {
  wallet.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('wallet lock', () => {
  it('is locked at start, even with keys in the keychain', async () => {
    const { account } = await wallet.import({ kind: 'privateKey', privateKey: KEY });
    const again = new WalletService({
      dataDir: dir, keychain, surface, clock, autoLockSeconds: () => 60, provider: () => null, energyLedgerAddress: () => null,
    });
    expect(again.status()).toMatchObject({ state: 'locked', autoLockAt: null, accounts: [{ address: account.address }] });
    again.dispose();
  });

  it('unlocking reads the keychain; auto-lock drops the key after the settings timeout', async () => {
    const { account } = await wallet.import({ kind: 'privateKey', privateKey: KEY });
    const reads = keychain.reads;
    autoLock = 90;
    const status = await wallet.unlock();
    expect(keychain.reads).toBe(reads + 1);
    expect(status).toMatchObject({ state: 'unlocked', autoLockAt: clock.now() + 90_000 });
    clock.advance(89_999);
    expect(wallet.status().state).toBe('unlocked');
    clock.advance(1);
    expect(wallet.status().state).toBe('locked');
    expect(events).toContainEqual({ event: 'wallet.locked', payload: { reason: 'timeout' } });
    const e = await wallet.signMessage({ from: account.address, message: 'x' }).catch((x: unknown) => x);
    expect(isError(e, 'WALLET_LOCKED')).toBe(true);
  });

  it('locking cancels a request waiting for approval: it is never signed, even after a new unlock', async () => {
    const { account } = await wallet.import({ kind: 'privateKey', privateKey: KEY });
    await wallet.unlock();
    const pending = wallet.signMessage({ from: account.address, message: 'sell' }).catch((x: unknown) => x);
    const prompt = await surface.next();
    wallet.lock();
    expect(prompt.signal.aborted).toBe(true);
    await wallet.unlock();
    prompt.decide('approve');
    const e = await pending;
    expect(isError(e, 'WALLET_LOCKED')).toBe(true);
    expect(events.filter((x) => x.event === 'wallet.approvalSettled').map((x) => x.payload)).toEqual([
      { id: prompt.view.id, outcome: 'cancelled' },
    ]);
  });

  it('an approved signature restarts the auto-lock countdown', async () => {
    const { account } = await wallet.import({ kind: 'privateKey', privateKey: KEY });
    autoLock = 60;
    await wallet.unlock();
    clock.advance(50_000);
    const pending = wallet.signMessage({ from: account.address, message: 'x' });
    (await surface.next()).decide('approve');
    await pending;
    clock.advance(50_000);
    expect(wallet.status().state).toBe('unlocked');
    clock.advance(10_000);
    expect(wallet.status().state).toBe('locked');
  });
});

describe('wallet file', () => {
  it('a damaged wallet.json does not stop the app: calls answer WALLET_STORE_CORRUPT and the file is left alone', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = join(dir, 'wallet.json');
    writeFileSync(file, '{"version":1,"keys":[');
    const damaged = new WalletService({
      dataDir: dir, keychain, surface, clock, autoLockSeconds: () => 60, provider: () => null, energyLedgerAddress: () => null,
    });
    expect(() => damaged.status()).toThrow(expect.objectContaining({ code: 'WALLET_STORE_CORRUPT' }));
    const e = await damaged.import({ kind: 'privateKey', privateKey: KEY }).catch((x: unknown) => x);
    expect(isError(e, 'WALLET_STORE_CORRUPT')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"keys":[');
    damaged.dispose();
  });
});

describe('removing', () => {
  it('deletes a key from the keychain only after a person approves; a rejection keeps it', async () => {
    const { keyId, account } = await wallet.import({ kind: 'mnemonic', mnemonic: 'test test test test test test test test test test test junk' });
    await wallet.unlock();
    const second = wallet.addAccount(keyId);
    // Not the last account: forgotten at once, the key stays.
    expect(await wallet.remove(second.address)).toEqual({ address: second.address, keyRemoved: false });
    expect(surface.shown).toHaveLength(0);

    const refused = wallet.remove(account.address).catch((x: unknown) => x);
    (await surface.next()).decide('reject');
    expect(isError(await refused, 'APPROVAL_REJECTED')).toBe(true);
    expect(keychain.entries.size).toBe(1);
    expect(wallet.status().accounts).toHaveLength(1);

    const removing = wallet.remove(account.address);
    const prompt = await surface.next();
    expect(prompt.view).toMatchObject({ kind: 'removeKey', keyId, addresses: [account.address] });
    prompt.decide('approve');
    expect(await removing).toEqual({ address: account.address, keyRemoved: true });
    expect(keychain.entries.size).toBe(0);
    expect(wallet.status().state).toBe('empty');
  });
});
