import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTestSession } from '../../../scripts/test-session.js';
import { processesInScope } from '../../support/test-run.js';

/**
 * `npm test`'s session (scripts/test-session.ts): the steps run against a private, unlocked
 * Secret Service; a failing step stops the rest; afterwards nothing of the run is left running —
 * not what a step left behind, not the bus, not the keyring.
 */

const root = resolve(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
const pids: number[] = [];

afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as expected
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function running(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const node = (code: string) => ({ command: process.execPath, args: ['-e', code] });

describe.skipIf(process.platform !== 'linux')('the test session', () => {
  it('runs the steps with an unlocked private keyring, stops at the first failure, and leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlet-session-'));
    dirs.push(dir);
    const stragglerFile = join(dir, 'straggler.pid');
    const busFile = join(dir, 'bus');
    const neverFile = join(dir, 'never');
    const busBefore = process.env.DBUS_SESSION_BUS_ADDRESS;

    const result = await runTestSession({
      cwd: root,
      stdio: 'ignore',
      env: { WATTLET_SESSION_TEST: 'yes' },
      steps: [
        {
          label: 'keychain',
          // keytar against the session's Secret Service: a write and a read back, no prompt.
          ...node(
            `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(busFile)}, process.env.DBUS_SESSION_BUS_ADDRESS + '\\n' + process.env.WATTLET_SESSION_TEST);
             const k = require('keytar');
             k.setPassword('WattletSessionTest', 'a', 's3cret').then(() => k.getPassword('WattletSessionTest', 'a'))
               .then((v) => process.exit(v === 's3cret' ? 0 : 2), (e) => { console.error(e); process.exit(4); });`,
          ),
        },
        {
          label: 'leaky',
          ...node(
            `const { spawn } = require('node:child_process');
             spawn(process.execPath, ['-e', "require('node:fs').writeFileSync(${JSON.stringify(stragglerFile).replace(/"/g, '\\"')}, String(process.pid)); setInterval(() => {}, 1 << 30)"], { detached: true, stdio: 'ignore' }).unref();
             const t = Date.now(); while (!require('node:fs').existsSync(${JSON.stringify(stragglerFile)}) && Date.now() - t < 10000) {}
             process.exit(3);`,
          ),
        },
        { label: 'never', ...node(`require('node:fs').writeFileSync(${JSON.stringify(neverFile)}, 'ran')`) },
      ],
    });

    const straggler = Number(readFileSync(stragglerFile, 'utf8'));
    pids.push(straggler);
    expect(result.exitCode).toBe(3);
    expect(result.failedStep).toBe('leaky');
    expect(existsSync(neverFile)).toBe(false);
    // The keychain step passed (exit 0) on the session's own bus, with the extra environment.
    const [stepBus, extra] = readFileSync(busFile, 'utf8').split('\n');
    expect(result.busAddress).toMatch(/^unix:/);
    expect(stepBus).toBe(result.busAddress);
    expect(stepBus).not.toBe(busBefore);
    expect(extra).toBe('yes');
    // Afterwards: the straggler, the bus and the keyring are gone, and this process is as it was.
    expect(running(straggler)).toBe(false);
    expect(result.leftovers.found.map((p) => p.pid)).toContain(straggler);
    expect(processesInScope(result.scope)).toEqual([]);
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBe(busBefore);
  }, 120_000);
});
