import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WattletError } from '../../main/api/errors.js';
import { I18n } from './i18n.svelte.js';

const walletDir = join(import.meta.dirname, '..', '..', 'main', 'wallet');

/** Every reason token the wallet room refuses a request with (facts.reason of WALLET_REQUEST_INVALID). */
function walletReasons(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(walletDir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(walletDir, file), 'utf8');
    for (const m of text.matchAll(/reason: '([a-z-]+)'|refuse\('([a-z-]+)'/g)) found.add(m[1] ?? m[2]!);
  }
  return [...found].sort();
}

describe('I18n.error', () => {
  it('says a refused request’s reason in words, in Chinese as in English, never the token', () => {
    const i18n = new I18n();
    const e = new WattletError('WALLET_REQUEST_INVALID', 'x is not the root struct', { reason: 'primary-type-not-root' });
    expect(i18n.error(e)).toBe('The request cannot be signed as it is malformed (the struct shown is not the one that would be signed).');
    i18n.language = 'zh-CN';
    expect(i18n.error(e)).toBe('请求格式有误，无法签名（显示的结构并非实际将被签名的结构）。');
  });

  it('has words for every reason the wallet room gives, in both languages', () => {
    const reasons = walletReasons();
    // The scan must see the refusals it guards (typed-data-check.ts, signing.ts, approving-signer.ts).
    expect(reasons).toEqual(expect.arrayContaining(['primary-type-not-root', 'unknown-key', 'batch-size', 'contract-creation']));
    for (const language of ['en', 'zh-CN'] as const) {
      const i18n = new I18n();
      i18n.language = language;
      for (const reason of reasons) {
        const text = i18n.error(new WattletError('WALLET_REQUEST_INVALID', 'm', { reason }));
        expect(text, `${language} ${reason}`).not.toContain(reason);
        expect(text, `${language} ${reason}`).not.toContain('{reason}');
      }
    }
  });

  it('keeps a reason it has no words for as given (other codes are unaffected)', () => {
    const i18n = new I18n();
    expect(i18n.error(new WattletError('WALLET_REQUEST_INVALID', 'm', { reason: 'brand-new' }))).toContain('(brand-new)');
  });
});
