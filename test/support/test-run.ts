import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process a test run starts carries this variable: the run's scope (`run-<id>/npm-test` for
 * `npm test`, and below it `…/vitest`, `…/playwright`; a bare `npx vitest run` starts its own
 * `run-<id>/vitest`). Children inherit their parent's environment, so a Hardhat
 * node, a browser host, socat, QEMU or Chromium carries its runner's scope without any spawner
 * knowing about it — and keeps it when its parent dies and it is re-parented. Teardown finds them
 * through /proc/<pid>/environ, which is fixed when a process starts.
 */
export const TEST_RUN_VARIABLE = 'WATTLET_TEST_RUN';

/** A fresh top-level scope, for the test entry. */
export function newRunScope(): string {
  return `run-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A scope below `parent` (or below a new run when there is none): `<parent>/<name>`. */
export function childScope(parent: string | undefined, name: string): string {
  return `${parent && parent.length > 0 ? parent : newRunScope()}/${name}`;
}

export interface MarkedProcess {
  readonly pid: number;
  /** The command line, shortened, for the teardown's report. */
  readonly command: string;
}

export interface SweepOptions {
  /**
   * Leave the sweeping process's own children alone: a runner's workers are the runner's to stop
   * (their children are not spared). The test entry sweeps after its children have ended and
   * spares none.
   */
  readonly spareOwnChildren?: boolean;
  /** How long a process has between SIGTERM and SIGKILL. */
  readonly graceMs?: number;
}

export interface SweepReport {
  /** What was still running when the sweep began (and was then ended). */
  readonly found: readonly MarkedProcess[];
  /** Those that ignored SIGTERM for graceMs and were killed. */
  readonly killed: readonly MarkedProcess[];
}

function inScope(value: string, scope: string): boolean {
  return value === scope || value.startsWith(`${scope}/`);
}

function readProc(pid: number, file: string): Buffer | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`);
  } catch {
    return null; // gone, or not ours to read
  }
}

/** The scope a process carries, or null (none, gone, or unreadable). */
function scopeOf(pid: number): string | null {
  const environ = readProc(pid, 'environ');
  if (environ === null) return null;
  const prefix = `${TEST_RUN_VARIABLE}=`;
  for (const entry of environ.toString('utf8').split('\0')) {
    if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return null;
}

interface ProcStat {
  readonly ppid: number;
  readonly state: string;
}

function statOf(pid: number): ProcStat | null {
  const stat = readProc(pid, 'stat')?.toString('utf8');
  if (!stat) return null;
  // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], ppid: Number(rest[1]) };
}

/** Running means not gone and not a zombie (a zombie holds no resources; its parent reaps it). */
function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

function ancestorsOf(pid: number): Set<number> {
  const chain = new Set<number>();
  let current = statOf(pid)?.ppid ?? 0;
  while (current > 0 && !chain.has(current)) {
    chain.add(current);
    current = statOf(current)?.ppid ?? 0;
  }
  return chain;
}

function commandOf(pid: number): string {
  const cmdline = readProc(pid, 'cmdline')?.toString('utf8').split('\0').filter(Boolean).join(' ') ?? '';
  return cmdline.length > 120 ? `${cmdline.slice(0, 117)}…` : cmdline;
}

/**
 * The running processes that carry `scope` (or a scope below it), except this process and its
 * ancestors (a runner sweeping its own scope is itself marked). Linux only: elsewhere there is no
 * /proc to read and the list is empty.
 */
export function processesInScope(scope: string, options: Pick<SweepOptions, 'spareOwnChildren'> = {}): MarkedProcess[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const spared = ancestorsOf(process.pid);
  spared.add(process.pid);
  const found: MarkedProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (spared.has(pid)) continue;
    const value = scopeOf(pid);
    if (value === null || !inScope(value, scope)) continue;
    if (options.spareOwnChildren && statOf(pid)?.ppid === process.pid) continue;
    if (!isRunning(pid)) continue;
    found.push({ pid, command: commandOf(pid) });
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Ends every process left in `scope`: SIGTERM, then SIGKILL for whatever still runs after
 * graceMs. Looks again after each round, so a process started by one that was being stopped is
 * caught too.
 */
export async function sweepScope(scope: string, options: SweepOptions = {}): Promise<SweepReport> {
  const graceMs = options.graceMs ?? 3000;
  const found = new Map<number, MarkedProcess>();
  const killed = new Map<number, MarkedProcess>();
  for (let round = 0; round < 5; round++) {
    const batch = processesInScope(scope, options);
    if (batch.length === 0) break;
    for (const p of batch) {
      found.set(p.pid, p);
      signal(p.pid, 'SIGTERM');
    }
    const deadline = Date.now() + graceMs;
    while (batch.some((p) => isRunning(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const p of batch.filter((q) => isRunning(q.pid))) {
      killed.set(p.pid, p);
      signal(p.pid, 'SIGKILL');
    }
    const killDeadline = Date.now() + 2000;
    while (batch.some((p) => isRunning(p.pid)) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
  }
  return { found: [...found.values()], killed: [...killed.values()] };
}

/** One line per process a sweep had to end, for the runner's output (nothing when none). */
export function describeSweep(who: string, report: SweepReport): string {
  if (report.found.length === 0) return '';
  const lines = report.found.map((p) => `  pid ${p.pid}${report.killed.some((k) => k.pid === p.pid) ? ' (SIGKILL)' : ''}: ${p.command}`);
  return `${who}: ended ${report.found.length} process(es) the tests left running:\n${lines.join('\n')}\n`;
}

/**
 * For a test runner's global setup (vitest, Playwright): gives this run a scope of its own below
 * the caller's (the test entry's, or a new one for a bare `npx vitest run`), so every worker and
 * everything the tests start carries it, and returns the teardown, which ends whatever of it still
 * runs — Hardhat nodes, browser hosts, socat, QEMU, Chromium — also when tests failed or timed out.
 */
export function enterRunnerScope(runner: string): () => Promise<void> {
  const scope = childScope(process.env[TEST_RUN_VARIABLE], runner);
  process.env[TEST_RUN_VARIABLE] = scope;
  return async () => {
    process.stderr.write(describeSweep(`${runner} teardown`, await sweepScope(scope, { spareOwnChildren: true })));
  };
}
