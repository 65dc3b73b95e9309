import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs only the QEMU hardware tests: npx vitest run -c test/hardware/vitest.config.ts
// (`npm test` runs them too: the root vitest.config.ts includes test/hardware/**/*.test.ts).
// The two families boot one guest each; on two cores they run side by side.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/hardware/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 25 * 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
