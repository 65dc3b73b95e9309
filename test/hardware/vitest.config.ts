import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs only the QEMU hardware tests: npx vitest run -c test/hardware/vitest.config.ts
// (`npm test` runs them too once the root vitest.config.ts includes test/hardware/**/*.test.ts).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/hardware/**/*.test.ts'],
    environment: 'node',
    testTimeout: 12 * 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
  },
});
