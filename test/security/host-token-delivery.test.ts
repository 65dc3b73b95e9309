import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Wallet, verifyMessage } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// Issue 14, point 5: the approval URL (whoever holds it can approve) and the main token went into
// xdg-open's argv, readable by every local user, and the approval URL was printed on stdout. Now
// both go into 0600 files in a 0700 folder, and only those files' paths reach the opener and the
// terminal. The opener here is a stand-in first on PATH that records its argv and the file's mode.
const signer = Wallet.createRandom();
let bin: string;
let openerLog: string;
let target: Target;

beforeAll(async () => {
  bin = mkdtempSync(join(tmpdir(), 'wattlet-opener-'));
  openerLog = join(bin, 'opened.log');
  writeFileSync(
    join(bin, 'xdg-open'),
    '#!/bin/sh\n{ printf "%s" "$(stat -c %a "$1" 2>/dev/null)"; for a in "$@"; do printf "\\t%s" "$a"; done; printf "\\n"; } >> "$WATTLET_TEST_OPENER_LOG"\n',
  );
  chmodSync(join(bin, 'xdg-open'), 0o755);
  target = await startTarget({
    open: true,
    env: { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99', WAYLAND_DISPLAY: '', WATTLET_TEST_OPENER_LOG: openerLog },
  });
});
afterAll(async () => {
  await target?.stop();
  rmSync(bin, { recursive: true, force: true });
});

/** Each opener run: the mode of the file it was given (as it was then) and its whole argv. */
function openerRuns(): Array<{ mode: string; argv: string[] }> {
  if (!existsSync(openerLog)) return [];
  return readFileSync(openerLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [mode = '', ...argv] = l.split('\t');
      return { mode, argv };
    });
}

/** Every process's argv on this machine, as any local user can read it. */
function everyArgv(): Array<{ pid: string; argv: string }> {
  const out: Array<{ pid: string; argv: string }> = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push({ pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

it('the launch and approval addresses reach the opener and the terminal only as 0600 file paths, and the approval file goes when decided', async () => {
  const { host } = target;
  const handoff = dirname(host.launchFile);
  expect(statSync(handoff).mode & 0o777).toBe(0o700);
  expect(statSync(host.launchFile).mode & 0o777).toBe(0o600);
  await expect.poll(() => openerRuns().length, { timeout: 10_000 }).toBe(1);
  expect(openerRuns()[0]).toEqual({ mode: '600', argv: [host.launchFile] });

  // A signature waits: its page's address is written for the person and opened by path.
  const window = await Attacker.connect(host);
  await window.result('wallet.import', { kind: 'privateKey', privateKey: signer.privateKey });
  await window.result('wallet.unlock', {});
  const signed = window.result<{ signature: string }>('wallet.requestSignature', { kind: 'message', from: signer.address, message: 'argv check' });
  const approvalUrl = await host.approvalUrl(30_000);
  const approvalToken = approvalUrl.split('/').pop()!;
  expect(approvalToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expect.poll(() => openerRuns().length, { timeout: 10_000 }).toBe(2);
  expect(openerRuns()[1]).toEqual({ mode: '600', argv: [host.approvalFile] });
  expect(statSync(host.approvalFile).mode & 0o777).toBe(0o600);

  // No process's argv holds either secret (the scan does read argv: it finds the host's own).
  const argvs = everyArgv();
  expect(argvs.some((p) => p.pid === String(host.pid) && p.argv.includes('out/main/host.js'))).toBe(true);
  for (const secret of [host.token, approvalToken]) expect(argvs.filter((p) => p.argv.includes(secret))).toEqual([]);
  // The terminal names the files, never an address with a token.
  const printed = host.output.join('\n');
  expect(printed).toContain(`Wattlet is running at ${host.origin}`);
  expect(printed).toContain('Approval needed: file://');
  expect(printed).toContain(host.approvalFile);
  for (const secret of [host.token, approvalToken]) expect(printed).not.toContain(secret);
  // Nor does the main window hear the approval's address.
  expect(JSON.stringify(window.events)).not.toContain(approvalToken);

  // The main window may ask for it to be shown again: the same file, opened again.
  expect(await window.result('wallet.revealApproval', {})).toEqual({ revealed: true });
  await expect.poll(() => openerRuns().length, { timeout: 10_000 }).toBe(3);
  expect(openerRuns()[2]).toEqual({ mode: '600', argv: [host.approvalFile] });

  // The person approves on the page; the file and its address are gone after.
  const view = (await (await fetch(`${approvalUrl}/request`)).json()) as { id: string };
  const decided = await fetch(`${approvalUrl}/decision`, {
    method: 'POST',
    headers: { origin: host.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ id: view.id, decision: 'approve' }),
  });
  expect(decided.status).toBe(200);
  expect(verifyMessage('argv check', (await signed).signature)).toBe(signer.address);
  expect(existsSync(host.approvalFile)).toBe(false);
  expect(await window.result('wallet.revealApproval', {})).toEqual({ revealed: false });
  expect(openerRuns()).toHaveLength(3);
  window.close();
  expect(await stillAnswering(host)).toBe(true);

  // Stopping takes the launch file (and its dead token) away too.
  await host.stop();
  expect(existsSync(host.launchFile)).toBe(false);
});
