import type { app as en } from '../en/app.js';

// 简体中文：app
export const app: typeof en = {
  errors: {},
};
