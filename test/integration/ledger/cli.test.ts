import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerVerifyCommand } from '../../../main/cli/commands/ledger-verify.js';
import { operatorCommand } from '../../../main/cli/commands/operator.js';
import { DEMO_REGION } from '../../../main/ledger/chain/demo-ledger.js';
import { readRegionPathFile } from '../../../main/ledger/operator/handover-files.js';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';

const run = promisify(execFile);
let demo: DemoLedger;
let dir: string;
const day = formatDay(dayOf(Date.now() / 1000) - 2);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wattlet-ledger-cli-'));
  demo = await startDemoLedger({ source: syntheticReadingSource(), meterId: meterIdOf('E0031234567890'), days: 3, outDir: dir });
});
afterAll(async () => {
  await demo?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await ledgerVerifyCommand().run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdin: process.stdin, env: {} });
  return { code, stdout, stderr };
}

describe('wattlet ledger verify', () => {
  const base = () => ['--rpc', demo.url, '--contract', demo.contract, '--meter', 'E0031234567890', '--day', day];
  const file = () => join(dir, demo.meterId, `${day}.json`);
  const regionFile = () => join(dir, demo.meterId, `${day}.region.json`);
  type Report = { ok: boolean; design: string; region: { id: string; meters: string } | null; steps: Array<{ id: string; status: string; code: string | null }> };

  it("proves the operator's file on two levels through the region's anchor, prints a passing JSON report and exits 0", async () => {
    const r = await cli([...base(), '--intervals', file(), '--region-path', regionFile()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['readings:skipped', 'leaves:pass', 'region:pass', 'anchor:pass', 'header:pass', 'checkpoint:skipped', 'finality:pass']);
    expect(report).toMatchObject({ ok: true, design: 'region', region: { id: demo.regionId, meters: '8' } });
  });

  it('says which link is missing without the region path, and refuses an altered one', async () => {
    const r = await cli([...base(), '--intervals', file()]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ok).toBe(false);
    // Not failed, not proven either: a status of its own, never 0.
    expect(r.code).toBe(3);
    expect(report.steps.find((s) => s.id === 'region')).toMatchObject({ status: 'skipped', code: 'LEDGER_NO_REGION_PATH' });
    expect(r.stderr).toContain('step region not checked');
    expect(r.stderr).toContain('--region-path FILE');
    const p = JSON.parse(await readFile(regionFile(), 'utf8')) as { path: string[] };
    p.path[0] = '0x' + 'ee'.repeat(32);
    const altered = join(dir, 'altered.region.json');
    await writeFile(altered, JSON.stringify(p));
    const bad = await cli([...base(), '--intervals', file(), '--region-path', altered]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('step region failed');
    expect(bad.stderr).toContain('PROOF_REGION_PATH');
  });

  it('exits 1 and names the step when the interval file was altered', async () => {
    const h = JSON.parse(await readFile(file(), 'utf8')) as { intervals: Array<{ importWh: string }> };
    h.intervals[30]!.importWh = String(Number(h.intervals[30]!.importWh) + 1);
    const altered = join(dir, 'altered.json');
    await writeFile(altered, JSON.stringify(h));
    const r = await cli([...base(), '--intervals', altered, '--region-path', regionFile()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step leaves failed');
    expect(r.stderr).toContain('PROOF_LEAF_NOT_UNDER_ROOT');
  });

  it('exits 1 for a day the operator never anchored', async () => {
    const r = await cli(['--rpc', demo.url, '--contract', demo.contract, '--meter', 'E0031234567890', '--day', '2020-01-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LEDGER_NO_ANCHOR');
  });

  it('exits 2 with a clear message and no stack trace when the endpoint is unreachable (real process)', async () => {
    const p = await run('npx', ['tsx', 'main/cli/main.ts', 'ledger', 'verify', '--rpc', 'http://127.0.0.1:9', '--contract', demo.contract, '--meter', 'X', '--day', day]).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(p).toMatchObject({ code: 2 });
    const stderr = (p as { stderr: string }).stderr;
    expect(stderr).toContain('cannot be reached');
    expect(stderr).toContain('LEDGER_RPC_UNREACHABLE');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('wattlet operator demo', () => {
  async function operatorDemo(args: string[]) {
    let stdout = '';
    const code = await operatorCommand().run(['--once', '--days', '2', ...args], { stdout: (t) => void (stdout += t), stderr: () => {}, stdin: process.stdin, env: {} });
    return { code, json: JSON.parse(stdout) as { meterId: string; regionId: string | null } };
  }

  it('anchors by region, with the region paths beside the interval files, or per meter when asked', async () => {
    const out = await mkdtemp(join(tmpdir(), 'wattlet-operator-demo-'));
    try {
      const r = await operatorDemo(['--out', out]);
      expect(r.code).toBe(0);
      expect(r.json.regionId).toBe(DEMO_REGION);
      const path = await readRegionPathFile(join(out, r.json.meterId, `${formatDay(dayOf(Date.now() / 1000) - 1)}.region.json`));
      expect(path).toMatchObject({ regionId: DEMO_REGION, meterId: r.json.meterId, meters: 8 });
      const perMeter = await operatorDemo(['--per-meter']);
      expect(perMeter.json.regionId).toBeNull();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
