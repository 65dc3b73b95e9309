import { test as base } from '@playwright/test';
import { startHost, type RunningHost } from './host-process.js';

/** `host`: a fresh browser host with its own data folder for each test. */
export const test = base.extend<{ host: RunningHost }>({
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
});

export { expect } from '@playwright/test';
