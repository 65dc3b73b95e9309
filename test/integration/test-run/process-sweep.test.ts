import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childScope, processesInScope, sweepScope, TEST_RUN_VARIABLE } from '../../support/test-run.js';

/**
 * No process outlives a test run: whatever carries the run's scope in its environment is ended
 * by the sweep, whoever started it and whoever its parent is now; nothing else is touched.
 */

const root = resolve(import.meta.dirname, '..', '..', '..');
const started: number[] = [];
const dirs: string[] = [];

afterEach(() => {
  // A failing assertion must not leave this test's own processes behind either.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone: what the test expected
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wattlet-sweep-'));
  dirs.push(d);
  return d;
}

/** Running = /proc has it and it is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

async function waitForPidFile(file: string): Promise<number> {
  for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
  const pid = Number(readFileSync(file, 'utf8'));
  started.push(pid);
  return pid;
}

/** A process that records its pid and waits; `env` decides what it carries. */
async function startSleeper(dir: string, name: string, env: NodeJS.ProcessEnv, options: { ignoreTerm?: boolean } = {}): Promise<number> {
  const file = join(dir, `${name}.pid`);
  const code = `${options.ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['-e', code], { env, detached: true, stdio: 'ignore' });
  child.unref();
  return waitForPidFile(file);
}

/** A marked process whose parent has exited: re-parented, it can only be found by its marker. */
async function startOrphan(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const file = join(dir, 'orphan.pid');
  const inner = `require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1 << 30);`;
  const outer = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(inner)}], { stdio: 'ignore', detached: true }).unref(); process.exit(0);`;
  spawnSync(process.execPath, ['-e', outer], { env, stdio: 'ignore' });
  return waitForPidFile(file);
}

describe.skipIf(process.platform !== 'linux')('the sweep at the end of a test run', () => {
  it('ends every process of its scope, orphans included, and nothing outside it', async () => {
    const dir = tempDir();
    const scope = childScope(process.env[TEST_RUN_VARIABLE], 'sweep-test');
    const marked = { ...process.env, [TEST_RUN_VARIABLE]: scope };
    const straggler = await startSleeper(dir, 'straggler', marked);
    const below = await startSleeper(dir, 'below', { ...process.env, [TEST_RUN_VARIABLE]: `${scope}/vitest` });
    const orphan = await startOrphan(dir, marked);
    const sibling = await startSleeper(dir, 'sibling', { ...process.env, [TEST_RUN_VARIABLE]: `${scope}-other` });
    const unmarked = { ...process.env };
    delete unmarked[TEST_RUN_VARIABLE];
    const bystander = await startSleeper(dir, 'bystander', unmarked);

    expect(processesInScope(scope).map((p) => p.pid).sort()).toEqual([straggler, below, orphan].sort());
    const report = await sweepScope(scope);

    expect(report.found.map((p) => p.pid).sort()).toEqual([straggler, below, orphan].sort());
    expect(report.killed).toEqual([]);
    for (const pid of [straggler, below, orphan]) expect(running(pid), `pid ${pid}`).toBe(false);
    // A scope that merely starts with the same characters, and an unmarked process, are not ours.
    expect(running(sibling)).toBe(true);
    expect(running(bystander)).toBe(true);
    expect(processesInScope(scope)).toEqual([]);
  });

  it('kills what ignores SIGTERM once the grace period is over', async () => {
    const dir = tempDir();
    const scope = childScope(process.env[TEST_RUN_VARIABLE], 'sweep-test');
    const stubborn = await startSleeper(dir, 'stubborn', { ...process.env, [TEST_RUN_VARIABLE]: scope }, { ignoreTerm: true });
    const report = await sweepScope(scope, { graceMs: 500 });
    expect(report.killed.map((p) => p.pid)).toEqual([stubborn]);
    expect(running(stubborn)).toBe(false);
  });

  it('spares the sweeping process, its ancestors and (when asked) its own children', async () => {
    const dir = tempDir();
    const scope = childScope(process.env[TEST_RUN_VARIABLE], 'sweep-test');
    const file = join(dir, 'child.pid');
    const child = spawn(process.execPath, ['-e', `require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1 << 30);`], {
      env: { ...process.env, [TEST_RUN_VARIABLE]: scope },
      stdio: 'ignore',
    });
    const pid = await waitForPidFile(file);
    expect(pid).toBe(child.pid);
    expect(processesInScope(scope, { spareOwnChildren: true })).toEqual([]);
    expect(processesInScope(scope).map((p) => p.pid)).toEqual([pid]);
    // This worker carries the parent scope: sweeping that scope must never end the sweeper.
    const own = process.env[TEST_RUN_VARIABLE];
    if (own) expect(processesInScope(own).map((p) => p.pid)).not.toContain(process.pid);
    child.kill('SIGKILL');
  });

  it('a failing vitest run leaves no process behind (its global teardown ends it)', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'straggler.pid');
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/test-run/vitest.config.ts'], {
      cwd: root,
      env: { ...process.env, WATTLET_STRAGGLER_PID_FILE: pidFile },
      encoding: 'utf8',
      timeout: 150_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toContain('this test fails on purpose');
    const pid = await waitForPidFile(pidFile);
    expect(output).toMatch(new RegExp(`vitest teardown: ended 1 process\\(es\\)[^]*pid ${pid}`));
    expect(running(pid)).toBe(false);
  }, 180_000);

  it('a failing Playwright run leaves no process behind (its global teardown ends it)', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'straggler.pid');
    const run = spawnSync(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--config', 'test/fixtures/test-run/playwright.config.ts'], {
      cwd: root,
      env: { ...process.env, WATTLET_STRAGGLER_PID_FILE: pidFile, WATTLET_FIXTURE_OUTPUT_DIR: join(dir, 'results') },
      encoding: 'utf8',
      timeout: 150_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toContain('this test fails on purpose');
    const pid = await waitForPidFile(pidFile);
    expect(output).toMatch(new RegExp(`playwright teardown: ended 1 process\\(es\\)[^]*pid ${pid}`));
    expect(running(pid)).toBe(false);
  }, 180_000);
});
