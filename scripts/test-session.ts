import { spawn } from 'node:child_process';
import { startPrivateKeyring, type PrivateKeyring } from '../test/integration/wallet/support/private-keyring.js';
import { childScope, sweepScope, TEST_RUN_VARIABLE, type SweepReport } from '../test/support/test-run.js';

export interface TestStep {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface TestSessionOptions {
  readonly steps: readonly TestStep[];
  readonly cwd: string;
  /** Added to the steps' environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** 'inherit' for a person's terminal; tests capture nothing and use 'ignore'. */
  readonly stdio?: 'inherit' | 'ignore';
  /** Aborting stops the running step (SIGTERM) and runs no further one; teardown still happens. */
  readonly signal?: AbortSignal;
}

export interface TestSessionResult {
  /** 0 when every step passed; else the first failing step's exit code (1 when it died by a signal). */
  readonly exitCode: number;
  readonly failedStep: string | null;
  /** The D-Bus address the steps were given (null where there is no Secret Service to start). */
  readonly busAddress: string | null;
  readonly scope: string;
  /** What was still running of this run after the steps and the keyring had stopped. */
  readonly leftovers: SweepReport;
}

/**
 * Runs the test steps the way CI does: inside a private D-Bus session with an unlocked
 * gnome-keyring as the Secret Service (the keychain tests' keytar talks to it; the person's own
 * keyring is never touched), every process marked with a new run scope, and at the end, whatever
 * happened, everything of that scope still running is ended (test/support/test-run.ts).
 *
 * Linux only starts the private session; elsewhere keytar uses the system's own keychain.
 */
export async function runTestSession(options: TestSessionOptions): Promise<TestSessionResult> {
  // A new run (`run-…/npm-test`), or below the caller's when a test runs a session itself.
  const scope = childScope(process.env[TEST_RUN_VARIABLE], 'npm-test');
  // The bus and the keyring are spawned from this process's environment: they carry the scope too.
  const previous = process.env[TEST_RUN_VARIABLE];
  const previousBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env[TEST_RUN_VARIABLE] = scope;
  let keyring: PrivateKeyring | null = null;
  let exitCode = 0;
  let failedStep: string | null = null;
  try {
    if (process.platform === 'linux') keyring = await startPrivateKeyring({ unlocked: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      [TEST_RUN_VARIABLE]: scope,
      ...(keyring ? { DBUS_SESSION_BUS_ADDRESS: keyring.busAddress } : {}),
    };
    for (const step of options.steps) {
      if (options.signal?.aborted) break;
      const code = await runStep(step, env, options);
      if (code !== 0) {
        exitCode = code;
        failedStep = step.label;
        break;
      }
    }
    if (options.signal?.aborted && exitCode === 0) {
      exitCode = 130;
      failedStep = 'interrupted';
    }
  } catch (e) {
    // The private session could not start (the steps never ran): say why, still clean up.
    exitCode = 1;
    failedStep = `private Secret Service session: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    keyring?.stop();
    restore(TEST_RUN_VARIABLE, previous);
    restore('DBUS_SESSION_BUS_ADDRESS', previousBus);
  }
  const leftovers = await sweepScope(scope);
  return { exitCode, failedStep, busAddress: keyring?.busAddress ?? null, scope, leftovers };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function runStep(step: TestStep, env: NodeJS.ProcessEnv, options: TestSessionOptions): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, [...step.args], { cwd: options.cwd, env, stdio: options.stdio ?? 'inherit' });
    const stop = (): void => void child.kill('SIGTERM');
    options.signal?.addEventListener('abort', stop, { once: true });
    child.once('error', (e) => {
      process.stderr.write(`${step.label}: ${e.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, sig) => {
      options.signal?.removeEventListener('abort', stop);
      resolve(code ?? (sig ? 1 : 0));
    });
  });
}
