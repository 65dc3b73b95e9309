import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/event-bus.js';
import { isError, type WattletError } from '../../../main/api/errors.js';
import { WalletService } from '../../../main/wallet/wallet-service.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryKeychain } from './support/memory-keychain.js';
import { ScriptedSurface } from './support/scripted-surface.js';

// The backup check against a script in the main window: pass/fail only, fixed positions, three
// tries with 5 s and 30 s waits (on a clock the test moves), lockout that survives a restart and
// ends only after the words were shown again on the approval surface.

let dir: string;
let clock: ManualClock;
let keychain: MemoryKeychain;
let surface: ScriptedSurface;
let logs: string[];
let sent: string[];
let wallet: WalletService;

function service(): WalletService {
  const bus = new EventBus();
  bus.subscribeAll((event, payload) => sent.push(JSON.stringify({ event, payload })));
  return new WalletService({
    dataDir: dir,
    keychain,
    surface,
    clock,
    events: bus,
    autoLockSeconds: () => 600,
    provider: () => null,
    energyLedgerAddress: () => null,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-backup-'));
  clock = new ManualClock();
  keychain = new MemoryKeychain();
  surface = new ScriptedSurface();
  logs = [];
  sent = [];
  wallet = service();
});
afterEach(() => {
  wallet.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Every call's outcome as the main window would see it: the result, or the code and facts. */
async function attempt(keyId: string, words: Array<{ position: number; word: string }>) {
  try {
    const r = await wallet.confirmBackup(keyId, words);
    sent.push(JSON.stringify(r));
    return { ok: true as const, backupConfirmed: r.backupConfirmed };
  } catch (e) {
    if (!isError(e)) throw e;
    sent.push(JSON.stringify(e.toJSON()));
    return { ok: false as const, code: e.code, facts: e.facts, message: e.message };
  }
}

async function created() {
  const c = await wallet.create('Home');
  const words = c.mnemonic.split(' ');
  const answer = (wrong: number[] = []) =>
    c.positions.map((position, i) => ({ position, word: wrong.includes(i) ? (words[position - 1] === 'zoo' ? 'abandon' : 'zoo') : words[position - 1]! }));
  return { ...c, words, answer };
}

describe('backup check', () => {
  it('fixes the positions at creation, keeps them in wallet.json, and gives the same ones after a restart', async () => {
    const c = await created();
    expect(c.positions).toHaveLength(3);
    expect(new Set(c.positions).size).toBe(3);
    for (let i = 0; i < 5; i++) expect(wallet.backupChallenge(c.keyId).positions).toEqual(c.positions);
    const file = JSON.parse(readFileSync(join(dir, 'wallet.json'), 'utf8')) as { keys: Array<{ backup?: { positions: number[] } }> };
    expect(file.keys[0]?.backup?.positions).toEqual(c.positions);
    wallet.dispose();
    wallet = service();
    expect(wallet.backupChallenge(c.keyId)).toEqual({ keyId: c.keyId, positions: c.positions, triesLeft: 3, retryAt: null, lockedOut: false });
    expect(readFileSync(join(dir, 'wallet.json'), 'utf8')).not.toContain(c.words[0]! + '"');
  });

  it('answers a wrong try the same whichever words were wrong, naming no position', async () => {
    // Three keys in the same state: one, two or all three answers wrong.
    const keys = [await created(), await created(), await created()];
    const outcomes = await Promise.all([
      attempt(keys[0]!.keyId, keys[0]!.answer([0])),
      attempt(keys[1]!.keyId, keys[1]!.answer([1, 2])),
      attempt(keys[2]!.keyId, keys[2]!.answer([0, 1, 2])),
    ]);
    const shapes = outcomes.map((o) => {
      if (o.ok) return 'passed';
      const { keyId: _k, ...facts } = o.facts;
      return JSON.stringify({ code: o.code, facts, message: o.message });
    });
    expect(new Set(shapes).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ ok: false, code: 'WALLET_BACKUP_MISMATCH', facts: { triesLeft: 2, retryAt: clock.now() + 5_000 } });
    for (const o of outcomes) expect(Object.keys(o.ok ? {} : o.facts).sort()).toEqual(['keyId', 'retryAt', 'triesLeft']);
  });

  it('waits 5 s, then 30 s between tries, then locks out; correct words during a wait or after lockout do not pass', async () => {
    const c = await created();
    expect(await attempt(c.keyId, c.answer([2]))).toMatchObject({ code: 'WALLET_BACKUP_MISMATCH', facts: { triesLeft: 2 } });
    const firstRetry = clock.now() + 5_000;
    // Even the right words are refused before the wait is over, without being compared.
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON', facts: { retryAt: firstRetry } });
    clock.advance(4_999);
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' });
    clock.advance(1);
    expect(await attempt(c.keyId, c.answer([0]))).toMatchObject({
      code: 'WALLET_BACKUP_MISMATCH',
      facts: { triesLeft: 1, retryAt: clock.now() + 30_000 },
    });
    clock.advance(29_999);
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' });
    expect(wallet.backupChallenge(c.keyId)).toMatchObject({ triesLeft: 1, retryAt: clock.now() + 1, lockedOut: false });
    clock.advance(1);
    expect(await attempt(c.keyId, c.answer([1]))).toMatchObject({ code: 'WALLET_BACKUP_MISMATCH', facts: { triesLeft: 0, retryAt: null } });
    clock.advance(24 * 3600_000);
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_LOCKED_OUT', facts: { keyId: c.keyId } });
    expect(wallet.backupChallenge(c.keyId)).toMatchObject({ triesLeft: 0, retryAt: null, lockedOut: true, positions: c.positions });
    expect(wallet.status().keys[0]?.backupConfirmed).toBe(false);
  });

  it('keeps the tries and the wait across a restart, and a clock set back does not end a wait', async () => {
    const c = await created();
    await attempt(c.keyId, c.answer([0]));
    wallet.dispose();
    wallet = service();
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' });
    clock.advance(5_000);
    await attempt(c.keyId, c.answer([0]));
    await attempt(c.keyId, c.answer()).then((o) => expect(o).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' }));
    // The clock jumps back an hour: still waiting (now < retryAt), not a fresh start.
    const back = new ManualClock();
    back.advance(clock.now() - back.now() - 3600_000);
    clock = back;
    wallet.dispose();
    wallet = service();
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_TOO_SOON' });
    clock.advance(3600_000 + 30_000);
    await attempt(c.keyId, c.answer([0]));
    wallet.dispose();
    wallet = service();
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_LOCKED_OUT' });
  });

  it('a burst of parallel tries gets one comparison; the rest wait, none passes', async () => {
    const c = await created();
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) => attempt(c.keyId, i === 150 ? c.answer() : c.answer([i % 3]))),
    );
    const codes = burst.map((o) => (o.ok ? 'ok' : o.code));
    expect(codes[0]).toBe('WALLET_BACKUP_MISMATCH');
    expect(codes.slice(1).every((x) => x === 'WALLET_BACKUP_TOO_SOON')).toBe(true);
    expect(wallet.backupChallenge(c.keyId).triesLeft).toBe(2);
  });

  it('passes with the right words in any case and spacing, then refuses the check for good', async () => {
    const c = await created();
    const ok = await attempt(
      c.keyId,
      c.positions.map((position) => ({ position, word: `  ${c.words[position - 1]!.toUpperCase()} ` })),
    );
    expect(ok).toEqual({ ok: true, backupConfirmed: true });
    expect(await attempt(c.keyId, c.answer())).toMatchObject({ code: 'WALLET_BACKUP_CONFIRMED' });
    expect(() => wallet.backupChallenge(c.keyId)).toThrow(expect.objectContaining({ code: 'WALLET_BACKUP_CONFIRMED' }));
    await expect(wallet.revealWords(c.keyId)).rejects.toMatchObject({ code: 'WALLET_BACKUP_CONFIRMED' });
    expect(surface.shown).toHaveLength(0);
    expect(readFileSync(join(dir, 'wallet.json'), 'utf8')).not.toContain('"backup"');
  });

  it('answers in the wrong positions count as a wrong try', async () => {
    const c = await created();
    const other = [1, 2, 3, 4].filter((p) => !c.positions.includes(p)).slice(0, 3);
    const o = await attempt(c.keyId, other.map((position) => ({ position, word: c.words[position - 1]! })));
    expect(o).toMatchObject({ code: 'WALLET_BACKUP_MISMATCH', facts: { triesLeft: 2 } });
  });

  it('imported keys need no check: it refuses them', async () => {
    const { keyId } = await wallet.import({ kind: 'mnemonic', mnemonic: 'test test test test test test test test test test test junk' });
    expect(wallet.status().keys[0]?.backupConfirmed).toBe(true);
    expect(() => wallet.backupChallenge(keyId)).toThrow(expect.objectContaining({ code: 'WALLET_BACKUP_CONFIRMED' }));
    expect(await attempt(keyId, [1, 2, 3].map((position) => ({ position, word: 'test' })))).toMatchObject({ code: 'WALLET_BACKUP_CONFIRMED' });
  });

  it('shows the words again only on the approval surface; after the person closes them, new positions and tries', async () => {
    const c = await created();
    for (const wrong of [[0], [1], [2]]) {
      await attempt(c.keyId, c.answer(wrong));
      clock.advance(60_000);
    }
    expect(wallet.backupChallenge(c.keyId).lockedOut).toBe(true);

    // Closed without "written down": nothing changes.
    const refused = wallet.revealWords(c.keyId).catch((e: WattletError) => e.code);
    const first = await surface.next();
    expect(first.view).toMatchObject({ kind: 'revealWords', keyId: c.keyId, words: c.words, from: c.account.address });
    first.decide('reject');
    expect(await refused).toBe('APPROVAL_REJECTED');
    expect(wallet.backupChallenge(c.keyId).lockedOut).toBe(true);

    const revealing = wallet.revealWords(c.keyId);
    (await surface.next()).decide('approve');
    const challenge = await revealing;
    expect(challenge).toMatchObject({ keyId: c.keyId, triesLeft: 3, retryAt: null, lockedOut: false });
    expect(wallet.backupChallenge(c.keyId).positions).toEqual(challenge.positions);
    const answer = challenge.positions.map((position) => ({ position, word: c.words[position - 1]! }));
    expect(await attempt(c.keyId, answer)).toEqual({ ok: true, backupConfirmed: true });

    // The words went to the surface, and nowhere the main window or the logs can see.
    const windowSide = sent.join('\n') + JSON.stringify(challenge);
    const summaries = JSON.stringify(wallet.pendingApprovals());
    for (const text of [windowSide, summaries, logs.join('\n'), readFileSync(join(dir, 'wallet.json'), 'utf8')]) {
      expect(text).not.toContain(c.mnemonic);
      expect(text).not.toContain(c.words.slice(0, 3).join(' '));
    }
    expect(sent.some((m) => m.includes('"kind":"revealWords"'))).toBe(true); // the window hears that it was shown
  });

  it('logs each failed try with the key and the count, never the words', async () => {
    const c = await created();
    await attempt(c.keyId, c.answer([0]));
    clock.advance(5_000);
    await attempt(c.keyId, c.answer([1]));
    const failed = logs.filter((l) => l.startsWith('wallet: backup confirmation failed'));
    expect(failed).toEqual([
      `wallet: backup confirmation failed {"keyId":"${c.keyId}","attempt":1,"triesLeft":2}`,
      `wallet: backup confirmation failed {"keyId":"${c.keyId}","attempt":2,"triesLeft":1}`,
    ]);
    const all = logs.join('\n');
    expect(all).not.toContain(c.mnemonic);
    for (let i = 1; i < c.words.length; i++) expect(all).not.toContain(`${c.words[i - 1]} ${c.words[i]}`);
    for (const p of c.positions) expect(all).not.toContain(`"${c.words[p - 1]}"`);
  });

  it('a key from before fixed positions gets them once and keeps them', async () => {
    const c = await created();
    const file = join(dir, 'wallet.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<Record<string, unknown>> };
    delete data.keys[0]!.backup;
    writeFileSync(file, JSON.stringify(data));
    wallet.dispose();
    wallet = service();
    const first = wallet.backupChallenge(c.keyId).positions;
    wallet.dispose();
    wallet = service();
    expect(wallet.backupChallenge(c.keyId).positions).toEqual(first);
  });
});
