import { requireSystemTools } from './system-tools.js';
import { enterRunnerScope } from './test-run.js';

/**
 * Playwright's global setup: stops at once when Chromium is missing (rather than once per test),
 * marks the run, and returns the teardown that ends what the tests left running.
 */
export default function globalSetup(): () => Promise<void> {
  requireSystemTools('chromium');
  return enterRunnerScope('playwright');
}
