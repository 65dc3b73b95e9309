import { describe, expect, it } from 'vitest';
import { walletErrorCodes } from '../../../main/api/wallet.js';
import { wallet as en } from '../../../renderer/i18n/en/wallet.js';
import { wallet as zh } from '../../../renderer/i18n/zh-CN/wallet.js';

describe('wallet strings', () => {
  it('translate every wallet error code in English and Chinese', () => {
    for (const code of walletErrorCodes) {
      expect(en.errors[code], `en ${code}`).toBeTruthy();
      expect(zh.errors[code], `zh-CN ${code}`).toBeTruthy();
    }
  });
});
