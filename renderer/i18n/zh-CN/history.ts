import type { history as en } from '../en/history.js';

// 简体中文：history
export const history: typeof en = {
  errors: {},
};
