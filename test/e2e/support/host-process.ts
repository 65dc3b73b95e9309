import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningHost {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The address a person opens, with the token in the fragment. */
  readonly launchUrl: string;
  readonly token: string;
  readonly dataDir: string;
  /** Every line the host printed so far (the approval URL arrives here, out of band). */
  readonly output: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Starts the built browser host as its own process (as `npm start` does), with a data folder of
 * the test's, and waits for the address line it prints.
 */
export async function startHost(options: { dataDir?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wattlet-e2e-'));
  // A day of simulated history is enough for most flows and keeps each start quick.
  const args = options.args ?? [];
  const demoDays = args.includes('--demo-days') ? [] : ['--demo-days', '1'];
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'out', 'main', 'host.js'), '--data-dir', dataDir, '--no-open', ...demoDays, ...args],
    { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    output.push(...lines);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((res, rej) => {
      const check = () => {
        for (const line of output) {
          const m = line.match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            res(m);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        rej(new Error(`host did not print ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const [, launchUrl] = await Promise.race([
    waitForLine(/Wattlet is running at (\S+)/),
    exited.then(() => {
      throw new Error(`host exited early:\n${output.join('\n')}`);
    }),
  ]);
  const url = new URL(launchUrl!);
  return {
    origin: url.origin,
    launchUrl: launchUrl!,
    token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
    dataDir,
    output,
    waitForLine,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
