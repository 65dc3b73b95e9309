import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeServices } from '../../../main/compose.js';
import { prepareDataDir } from '../../../main/settings/prepare-data-dir.js';

const mode = (p: string) => statSync(p).mode & 0o777;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wattlet-datadir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A data folder as an older version (umask 022) left it. */
function oldDataDir(): string {
  const dir = join(root, 'Wattlet');
  mkdirSync(join(dir, 'logs'), { recursive: true, mode: 0o755 });
  mkdirSync(join(dir, 'support'), { mode: 0o755 });
  chmodSync(dir, 0o755);
  for (const f of ['settings.json', 'wallet.json', 'logs/wattlet.log', 'logs/wattlet.log.1', 'support/wattlet-support-old.json']) {
    const content = f === 'wallet.json' ? JSON.stringify({ version: 1, keys: [], accounts: [] }) : f === 'settings.json' ? '{}' : 'x\n';
    writeFileSync(join(dir, f), content, { mode: 0o644 });
  }
  return dir;
}

describe('prepareDataDir', () => {
  it('creates the folder 0700 whatever the umask', () => {
    const dir = join(root, 'a', 'Wattlet');
    const old = process.umask(0);
    try {
      expect(prepareDataDir(dir)).toEqual([]);
    } finally {
      process.umask(old);
    }
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens an existing folder, its folders and its files (owner bits kept)', () => {
    const dir = oldDataDir();
    writeFileSync(join(dir, 'history.sqlite-wal'), '', { mode: 0o666 });
    expect(prepareDataDir(dir)).toEqual([]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    expect(mode(join(dir, 'support'))).toBe(0o700);
    for (const f of ['settings.json', 'wallet.json', 'history.sqlite-wal', 'logs/wattlet.log', 'logs/wattlet.log.1', 'support/wattlet-support-old.json']) {
      expect(mode(join(dir, f)), f).toBe(0o600);
    }
  });

  it('does not follow a link out of the folder', () => {
    const dir = oldDataDir();
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'not ours', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'link.txt'));
    prepareDataDir(dir);
    expect(mode(outside)).toBe(0o644);
  });
});

describe('a real compose start leaves the data folder private', () => {
  it('folder 0700; settings, log, history and its journal, wallet.json and a saved support bundle 0600', async () => {
    const dir = oldDataDir();
    // An unreachable live endpoint: no demo chain is started for this test.
    const services = await composeServices({ dataDir: dir, host: 'browser', version: '0.0.0', meter: 'none', settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' } });
    try {
      const ctx = { host: 'browser' } as const;
      const updated = await services.dispatch('settings.update', { theme: 'dark' }, ctx);
      expect(updated.ok).toBe(true);
      const preview = await services.dispatch('diagnostics.bundlePreview', { frameMinutes: 1 }, ctx);
      expect(preview.ok, JSON.stringify(preview)).toBe(true);
      const previewId = (preview as { result: { previewId: string } }).result.previewId;
      const saved = await services.dispatch('diagnostics.bundleSave', { previewId, gzip: false }, ctx);
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      const bundle = (saved as { result: { file: string } }).result.file;

      expect(mode(dir)).toBe(0o700);
      for (const sub of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) expect(mode(join(dir, sub.name)), sub.name).toBe(0o700);
      const files = ['settings.json', 'wallet.json', 'logs/wattlet.log', 'history.sqlite', 'history.sqlite-wal', 'history.sqlite-shm'];
      for (const f of files) {
        expect(existsSync(join(dir, f)), f).toBe(true);
        expect(mode(join(dir, f)), f).toBe(0o600);
      }
      expect(bundle.startsWith(join(dir, 'support'))).toBe(true);
      expect(mode(bundle)).toBe(0o600);
    } finally {
      await services.dispose();
    }
  });
});
