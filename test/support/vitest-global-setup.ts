import { enterRunnerScope } from './test-run.js';

/** Vitest's global setup: marks the run; the returned teardown ends what the tests left running. */
export default function setup(): () => Promise<void> {
  return enterRunnerScope('vitest');
}
