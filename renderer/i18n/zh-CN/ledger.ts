import type { ledger as en } from '../en/ledger.js';

// 简体中文：ledger
export const ledger: typeof en = {
  errors: {},
};
