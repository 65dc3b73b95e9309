import type { meter as en } from '../en/meter.js';

// 简体中文：meter
export const meter: typeof en = {
  errors: {},
};
