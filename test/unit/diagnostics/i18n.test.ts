import { describe, expect, it } from 'vitest';
import { diagnosticsErrorCodes } from '../../../main/api/diagnostics.js';
import { findingCodes } from '../../../main/diagnostics/findings.js';
import { diagnostics as en } from '../../../renderer/i18n/en/diagnostics.js';
import { diagnostics as zh } from '../../../renderer/i18n/zh-CN/diagnostics.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function leaves(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

describe('diagnostics strings', () => {
  it('every finding code has a title, a meaning and an action in English and Chinese', () => {
    for (const code of findingCodes) {
      for (const table of [en, zh]) {
        const t = (table.findings.codes as Record<string, { title: string; detail: string; action: string } | undefined>)[code];
        expect(t, code).toBeDefined();
        expect(t!.title.length && t!.detail.length && t!.action.length, code).toBeTruthy();
      }
    }
  });

  it('every DIAG_ error code is translated', () => {
    for (const code of diagnosticsErrorCodes) {
      expect(en.errors[code], code).toBeTruthy();
      expect(zh.errors[code], code).toBeTruthy();
    }
  });

  it('Chinese strings use the same placeholders as the English ones', () => {
    const zhLeaves = new Map(leaves(zh));
    for (const [path, text] of leaves(en)) {
      expect(zhLeaves.has(path), path).toBe(true);
      expect(placeholders(zhLeaves.get(path)!), path).toEqual(placeholders(text));
    }
  });
});
