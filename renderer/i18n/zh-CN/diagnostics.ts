import type { diagnostics as en } from '../en/diagnostics.js';

// 简体中文：diagnostics
export const diagnostics: typeof en = {
  errors: {},
};
