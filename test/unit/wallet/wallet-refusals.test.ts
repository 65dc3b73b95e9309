import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import type { ApprovalView } from '../../../main/api/wallet.js';
import type { ApprovalSurface } from '../../../main/wallet/approval-surface.js';
import { WalletService } from '../../../main/wallet/wallet-service.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryKeychain } from './support/memory-keychain.js';
import { ScriptedSurface } from './support/scripted-surface.js';

const KEY = '0x' + '42'.repeat(32);
const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
let dir: string;
let surface: ScriptedSurface;
let wallet: WalletService;
let from: string;

function make(s: ApprovalSurface): WalletService {
  return new WalletService({
    dataDir: dir,
    keychain: new MemoryKeychain(),
    surface: s,
    clock: new ManualClock(),
    autoLockSeconds: () => 600,
    provider: () => null,
    energyLedgerAddress: () => LEDGER,
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-refusals-'));
  surface = new ScriptedSurface();
  wallet = make(surface);
  from = (await wallet.import({ kind: 'privateKey', privateKey: KEY })).account.address;
  await wallet.unlock();
});
afterEach(() => {
  wallet.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const code = (p: Promise<unknown>) => p.then(() => 'signed', (e: unknown) => (isError(e) ? `${e.code}${e.facts.reason ? `:${String(e.facts.reason)}` : ''}` : 'other'));
const domain = { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER };

describe('typed data refusals happen before anyone is asked, chain or no chain', () => {
  it('refuses the substitution, extra types and extra keys; a well-formed request gets past the checks', async () => {
    const Note = [{ name: 'text', type: 'string' }];
    const Transfer = [
      { name: 'to', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'note', type: 'Note' },
    ];
    type Case = [{ types: Record<string, Array<{ name: string; type: string }>>; primaryType: string; message: Record<string, unknown> }, string];
    const cases: Case[] = [
      [{ types: { Note, Transfer }, primaryType: 'Note', message: { to: from, amount: '5', note: { text: 'hi' } } }, 'WALLET_REQUEST_INVALID:primary-type-not-root'],
      [{ types: { Note, Unused: [{ name: 'x', type: 'bool' }] }, primaryType: 'Note', message: { text: 'hi' } }, 'WALLET_REQUEST_INVALID:unreachable-type'],
      [{ types: { Note }, primaryType: 'Note', message: { text: 'hi', to: from } }, 'WALLET_REQUEST_INVALID:unknown-key'],
      [{ types: { Transfer, Note }, primaryType: 'Transfer', message: { to: from, amount: '5', note: { text: 'hi', extra: 1 } } }, 'WALLET_REQUEST_INVALID:unknown-key'],
      // The control: well-formed, so it reaches the chain check (none is connected here).
      [{ types: { Transfer, Note }, primaryType: 'Transfer', message: { to: from, amount: '5', note: { text: 'hi' } } }, 'WALLET_NO_CHAIN'],
    ];
    for (const [r, expected] of cases) {
      expect(await code(wallet.signTypedData({ from, domain, ...r, message: r.message as never }))).toBe(expected);
    }
    expect(surface.shown).toHaveLength(0);
  });
});

describe('showing a waiting approval again', () => {
  it('asks the surface only while a prompt is on it, and answers only whether it was shown', async () => {
    expect(wallet.revealApproval()).toBe(false);
    expect(surface.reveals).toBe(0);
    const pending = code(wallet.signMessage({ from, message: 'hello' }));
    await surface.next();
    expect(wallet.revealApproval()).toBe(true);
    expect(surface.reveals).toBe(1);
    (await surface.next()).decide('reject');
    expect(await pending).toBe('APPROVAL_REJECTED');
    expect(wallet.revealApproval()).toBe(false);
  });

  it('a surface that cannot show a prompt again answers false', async () => {
    wallet.dispose();
    const shown: ApprovalView[] = [];
    const plain: ApprovalSurface = { present: (view) => (shown.push(view), new Promise(() => {})) };
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'wattlet-refusals-'));
    wallet = make(plain);
    from = (await wallet.import({ kind: 'privateKey', privateKey: KEY })).account.address;
    await wallet.unlock();
    void wallet.signMessage({ from, message: 'x' }).catch(() => undefined);
    await new Promise((ok) => setTimeout(ok, 10));
    expect(shown).toHaveLength(1);
    expect(wallet.revealApproval()).toBe(false);
  });
});
