import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
