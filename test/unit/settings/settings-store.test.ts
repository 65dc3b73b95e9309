import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { defaultSettings, SettingsStore } from '../../../main/settings/settings-store.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'wattlet-settings-')), 'settings.json');

describe('SettingsStore', () => {
  it('starts from defaults and persists an update across reopen', async () => {
    const f = file();
    const store = await SettingsStore.open(f);
    expect(store.current).toEqual(defaultSettings);
    await store.update({ language: 'zh-CN', theme: 'dark' });
    const again = await SettingsStore.open(f);
    expect(again.current).toMatchObject({ language: 'zh-CN', theme: 'dark' });
    expect(JSON.parse(readFileSync(f, 'utf8'))).toMatchObject({ language: 'zh-CN' });
  });

  it('rejects an invalid value with a typed error and keeps the old settings', async () => {
    const store = await SettingsStore.open(file());
    const error = await store.update({ autoLockSeconds: 1 }).catch((e: unknown) => e);
    expect(isError(error, 'SETTINGS_INVALID')).toBe(true);
    expect(store.current.autoLockSeconds).toBe(defaultSettings.autoLockSeconds);
  });

  it('survives a damaged file by starting from defaults', async () => {
    const f = file();
    writeFileSync(f, '{ not json');
    expect((await SettingsStore.open(f)).current).toEqual(defaultSettings);
  });

  it('tells listeners about changes', async () => {
    const store = await SettingsStore.open(file());
    const seen: string[] = [];
    store.onChange((s) => seen.push(s.theme));
    await store.update({ theme: 'light' });
    expect(seen).toEqual(['light']);
  });

  it('keeps an update written and heard by the others when one listener throws', async () => {
    const f = file();
    const store = await SettingsStore.open(f);
    const seen: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      store.onChange(() => {
        throw new Error('view gone');
      });
      store.onChange((s) => seen.push(s.theme));
      await expect(store.update({ theme: 'dark' })).resolves.toMatchObject({ theme: 'dark' });
      expect(seen).toEqual(['dark']);
      expect((await SettingsStore.open(f)).current.theme).toBe('dark');
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('view gone');
    } finally {
      stderr.mockRestore();
      store.dispose();
    }
  });
});

describe('SettingsStore: RPC URLs are http(s) only', () => {
  const refused = [
    ['javascript:alert(document.cookie)', 'rpcUrlScheme', 'javascript:'],
    ['file:///etc/passwd', 'rpcUrlScheme', 'file:'],
    ['data:text/html,<script>alert(1)</script>', 'rpcUrlScheme', 'data:'],
    ['blob:https://example.org/0f0e', 'rpcUrlScheme', 'blob:'],
    ['ftp://example.org/rpc', 'rpcUrlScheme', 'ftp:'],
    // Every chain client here speaks JSON-RPC over HTTP: a WebSocket endpoint would be taken and then fail on first use.
    ['ws://localhost:8546', 'rpcUrlScheme', 'ws:'],
    ['wss://mainnet.infura.io/ws/v3/abc', 'rpcUrlScheme', 'wss:'],
    ['JAVASCRIPT:alert(1)', 'rpcUrlScheme', 'javascript:'],
    ['not a url', 'rpcUrlInvalid', undefined],
    ['https://rpc.example.org/\nextra', 'rpcUrlInvalid', undefined],
  ] as const;

  for (const [url, rule, scheme] of refused) {
    it(`refuses ${JSON.stringify(url)} with SETTINGS_INVALID (${rule}) and keeps the old value`, async () => {
      const f = file();
      const store = await SettingsStore.open(f);
      await store.update({ rpcUrl: 'https://rpc.energyweb.org/' });
      const error = await store.update({ rpcUrl: url }).catch((e: unknown) => e);
      expect(isError(error, 'SETTINGS_INVALID')).toBe(true);
      const facts = (error as { facts: Record<string, unknown> }).facts;
      expect(facts).toMatchObject({ path: 'rpcUrl', rule });
      expect(facts['scheme']).toBe(scheme);
      expect(String(facts['problem'])).toMatch(/RPC URL/);
      expect(store.current.rpcUrl).toBe('https://rpc.energyweb.org/');
      expect(JSON.parse(readFileSync(f, 'utf8')).rpcUrl).toBe('https://rpc.energyweb.org/');
    });
  }

  it('accepts http and https endpoints, credentials included', async () => {
    const store = await SettingsStore.open(file());
    for (const url of ['http://127.0.0.1:8545', 'https://rpc.energyweb.org/', 'https://user:pw@mainnet.infura.io/v3/abc']) {
      expect((await store.update({ rpcUrl: url })).rpcUrl).toBe(url);
    }
  });

  it('refuses a bad RPC URL given on the command line the same way', async () => {
    const error = await SettingsStore.open(file(), { rpcUrl: 'file:///etc/passwd' }).catch((e: unknown) => e);
    expect(isError(error, 'SETTINGS_INVALID')).toBe(true);
  });

  it('drops a bad RPC URL from an old file but keeps the fields that are still valid', async () => {
    const f = file();
    writeFileSync(f, JSON.stringify({ language: 'zh-CN', theme: 'dark', rpcUrl: 'javascript:alert(1)', autoLockSeconds: 600 }));
    expect((await SettingsStore.open(f)).current).toEqual({ ...defaultSettings, language: 'zh-CN', theme: 'dark', autoLockSeconds: 600 });
  });
});

describe('SettingsStore file mode', () => {
  it('writes settings.json 0600, also over a file an older version left 0644', async () => {
    const f = file();
    writeFileSync(f, '{}');
    chmodSync(f, 0o644);
    const store = await SettingsStore.open(f);
    await store.update({ theme: 'dark' });
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });
});
