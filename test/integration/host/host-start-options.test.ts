import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';

// A launch option the person got wrong ends the built browser host with one line naming the
// problem and its code, then the usage: no stack trace, exit 2, and nothing left running.
const root = resolve(import.meta.dirname, '..', '..', '..');
const hostJs = join(root, 'out', 'main', 'host.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wattlet-start-'));
  dirs.push(dataDir);
  const run = spawnSync(process.execPath, [hostJs, '--data-dir', dataDir, '--no-open', '--demo-days', '1', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...run, dataDir };
}

for (const [url, scheme] of [
  ['file:///etc/passwd', 'file:'],
  ['ws://127.0.0.1:8546', 'ws:'],
  ['javascript:alert(1)', 'javascript:'],
] as const) {
  it(`--rpc-url ${url} ends the host with one line and the usage, not a stack`, () => {
    expect(existsSync(hostJs)).toBe(true);
    const run = start(['--rpc-url', url]);
    expect(run.status).toBe(2);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(`wattlet: Invalid settings: The RPC URL must start with http:// or https:// (not ${scheme}) (SETTINGS_INVALID)`);
    expect(run.stderr).toContain('Usage: npm start');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.stdout).not.toContain('Wattlet is running');
    // No launch address was handed out for a host that never started.
    expect(existsSync(join(run.dataDir, 'handoff')) ? readdirSync(join(run.dataDir, 'handoff')) : []).toEqual([]);
  });
}

it('an unknown option ends the host with its message and the usage', () => {
  const run = start(['--rpc-ur', 'http://127.0.0.1:8545']);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/rpc-ur/);
  expect(run.stderr).toContain('Usage: npm start');
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
});
