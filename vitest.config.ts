import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node against real parts (SQLite, keychain, Hardhat, ptys).
// End-to-end tests live under test/e2e and are run by Playwright, not here.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/hardware/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Marks every process the tests start; its teardown ends the ones still running (test/support/test-run.ts).
    globalSetup: ['test/support/vitest-global-setup.ts'],
  },
});
