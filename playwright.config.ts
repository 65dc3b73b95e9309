import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real browser host (real main-process services) from Debian's
// Chromium. Never `playwright install`: the browser comes from apt.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  // Marks every process the tests start; its teardown ends the ones still running (test/support/test-run.ts).
  globalSetup: './test/support/playwright-global-setup.ts',
  // Specs that start their own private keyring get a worker process of their own: libsecret binds
  // to the first D-Bus session a process uses, so a later spec in the same worker would still talk
  // to the previous spec's (stopped) keyring.
  projects: [
    { name: 'app', testIgnore: ['**/wallet.spec.ts', '**/market.spec.ts'] },
    { name: 'wallet', testMatch: '**/wallet.spec.ts' },
    { name: 'market', testMatch: '**/market.spec.ts' },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
