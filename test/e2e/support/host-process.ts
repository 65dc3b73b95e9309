import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redirectTarget } from '../../../main/host/handoff-folder.js';

export interface RunningHost {
  /** http://127.0.0.1:PORT (the host prints this, and never its token). */
  readonly origin: string;
  /** The address a person opens, with the token in the fragment: read from `launchFile`. */
  readonly launchUrl: string;
  readonly token: string;
  readonly dataDir: string;
  /** The 0600 file holding the launch address (DATA-DIR/handoff/launch.html); stdout names it. */
  readonly launchFile: string;
  /** Where each waiting approval's one-time address is written (DATA-DIR/handoff/approval.html). */
  readonly approvalFile: string;
  /** The host process's id (to read its argv, or its children's, from /proc). */
  readonly pid: number;
  /** Every line the host printed so far (stdout and stderr). */
  readonly output: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /**
   * The one-time address of the approval waiting now, as the person gets it: read from
   * `approvalFile`, which the host writes when a signature waits and removes when it settles.
   * Waits up to `timeoutMs` for a file holding an address this host has not returned before, so
   * consecutive calls give consecutive approvals.
   */
  approvalUrl(timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The address a handoff file sends the browser to, or null while it is missing or half-written. */
export function readHandoffFile(path: string): string | null {
  try {
    return redirectTarget(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

const root = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Starts the built browser host as its own process (as `npm start` does), with a data folder of
 * the test's, waits for the lines it prints (origin, then the launch file) and reads the launch
 * address from that file. `open: true` leaves out `--no-open` (the host then runs the system
 * opener on the launch file where a display exists).
 */
export async function startHost(
  options: { dataDir?: string; args?: string[]; env?: NodeJS.ProcessEnv; open?: boolean } = {},
): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wattlet-e2e-'));
  // A day of simulated history is enough for most flows and keeps each start quick.
  const args = options.args ?? [];
  const demoDays = args.includes('--demo-days') ? [] : ['--demo-days', '1'];
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'out', 'main', 'host.js'), '--data-dir', dataDir, ...(options.open ? [] : ['--no-open']), ...demoDays, ...args],
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
  const [, launchFileUrl] = await Promise.race([
    waitForLine(/^Open (file:\S+) in your browser/),
    exited.then(() => {
      throw new Error(`host exited early:\n${output.join('\n')}`);
    }),
  ]);
  const [, origin] = await waitForLine(/^Wattlet is running at (\S+)$/, 1000);
  const launchFile = fileURLToPath(launchFileUrl!);
  const launchUrl = readHandoffFile(launchFile);
  if (!launchUrl || !launchUrl.startsWith(`${origin}/#token=`)) throw new Error(`the launch file ${launchFile} holds no address of ${origin}`);
  const approvalFile = join(dataDir, 'handoff', 'approval.html');
  const returned = new Set<string>();
  return {
    origin: origin!,
    launchUrl,
    token: new URLSearchParams(new URL(launchUrl).hash.slice(1)).get('token') ?? '',
    dataDir,
    launchFile,
    approvalFile,
    pid: child.pid!,
    output,
    waitForLine,
    async approvalUrl(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const url = readHandoffFile(approvalFile);
        if (url && !returned.has(url)) {
          returned.add(url);
          return url;
        }
        if (Date.now() > until) throw new Error(`no new approval address in ${approvalFile} within ${timeoutMs} ms`);
        if (child.exitCode !== null) throw new Error(`host exited:\n${output.join('\n')}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    },
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
