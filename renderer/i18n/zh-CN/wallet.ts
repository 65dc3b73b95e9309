import type { wallet as en } from '../en/wallet.js';

// 简体中文：wallet
export const wallet: typeof en = {
  errors: {},
};
