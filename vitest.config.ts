import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node against real parts (SQLite, keychain, Hardhat, ptys).
// End-to-end tests live under test/e2e and are run by Playwright, not here.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Marks every process the tests start; its teardown ends the ones still running (test/support/test-run.ts).
    globalSetup: ['test/support/vitest-global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/hardware/**/*.test.ts'],
        },
      },
      {
        // Renderer stores, beside their modules: Svelte compiles their runes as it does for the
        // window (client output, so $state and $derived react), and they run in Node against the
        // real composition's dispatcher.
        extends: true,
        plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
        test: { name: 'renderer', include: ['renderer/**/*.spec.ts'] },
      },
    ],
  },
});
