import type { market as en } from '../en/market.js';

// 简体中文：market
export const market: typeof en = {
  errors: {},
};
