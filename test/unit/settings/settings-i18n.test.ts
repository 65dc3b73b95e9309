import { describe, expect, it } from 'vitest';
import { settingsRules } from '../../../main/api/app.js';
import { app as en } from '../../../renderer/i18n/en/app.js';
import { app as zh } from '../../../renderer/i18n/zh-CN/app.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('settings problems the Settings page shows', () => {
  it('every rule of SETTINGS_INVALID is said in English and Chinese, with the same facts', () => {
    for (const rule of settingsRules) {
      const e = (en.settings.problems as Record<string, string>)[rule];
      const z = (zh.settings.problems as Record<string, string>)[rule];
      expect(e, rule).toBeTruthy();
      expect(z, rule).toBeTruthy();
      expect(placeholders(z!), rule).toEqual(placeholders(e!));
      expect(z, rule).not.toBe(e);
    }
  });
});
