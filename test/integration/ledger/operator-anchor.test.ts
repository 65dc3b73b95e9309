import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { JsonRpcProvider, Wallet, type Contract } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorAnchorCommand } from '../../../main/cli/commands/operator-anchor.js';
import { demoAccounts } from '../../../main/ledger/chain/demo-accounts.js';
import { deployEnergyLedger, energyLedgerAt } from '../../../main/ledger/chain/ledger-contract.js';
import { startLocalChain, type LocalChain } from '../../../main/ledger/chain/local-chain.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { handoverPaths, readRegionPathFile } from '../../../main/ledger/operator/handover-files.js';
import { meterDaySalt, officialDay } from '../../../main/ledger/operator/official-day.js';
import { buildRegionFromFolder } from '../../../main/ledger/operator/region-build.js';
import { openRegionStore, regionStoreDir } from '../../../main/ledger/operator/region-store.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { REGION_LEAF_TYPES, regionLeafValue } from '../../../main/ledger/tree/region-leaf.js';

// `wattlet operator anchor` against a real Hardhat chain: per-meter day files in, one region-day
// root on chain, the households' paths out; resumable after a kill; every refusal typed.
const root = resolve(__dirname, '..', '..', '..');
const [operatorAccount, household] = demoAccounts(2);
const SECRET = '0x' + '3c'.repeat(32);
const REGION = meterIdOf('CN-JS-Suzhou');
const DAY = dayOf(Date.now() / 1000) - 3;
const DATE = formatDay(DAY);
const METERS = Array.from({ length: 60 }, (_, i) => meterIdOf(`SZ-${String(i).padStart(5, '0')}`));

let chain: LocalChain;
let provider: JsonRpcProvider;
let ledger: Contract;
let address: string;
let dir: string;
const handovers = new Map<string, ReturnType<typeof officialDay>>();

async function writeMeterFiles(folder: string, meters: readonly string[]): Promise<void> {
  const source = syntheticReadingSource(5);
  for (const m of meters) {
    const h = handovers.get(m) ?? officialDay({ meterId: m, day: DAY, readings: await source.intervals(m, DAY), secret: SECRET });
    handovers.set(m, h);
    await mkdir(join(folder, m), { recursive: true });
    await writeFile(join(folder, m, `${DATE}.json`), JSON.stringify(h));
  }
}

/** The region root from the library itself, over the meters' own files: what the tool must anchor. */
function expectedRoot(meters: readonly string[]): string {
  const values = meters.map((m) => {
    const h = handovers.get(m)!;
    return regionLeafValue({ meterId: m, day: DAY, root: h.root, importWh: BigInt(h.importWh), exportWh: BigInt(h.exportWh), salt: meterDaySalt(SECRET, m, DAY) });
  });
  return StandardMerkleTree.of(values, [...REGION_LEAF_TYPES]).root;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await operatorAnchorCommand().run(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: process.stdin,
    env: { WATTLET_OPERATOR_KEY: operatorAccount!.privateKey, WATTLET_OPERATOR_SECRET: SECRET, ...env },
  });
  return { code, stdout, stderr, json: code === 0 ? (JSON.parse(stdout) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wattlet-operator-anchor-'));
  chain = await startLocalChain({ accounts: demoAccounts(2).map((a) => ({ privateKey: a.privateKey, balanceWei: 10n ** 22n })) });
  provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 20 });
  const admin = new Wallet(operatorAccount!.privateKey, provider);
  address = await (await deployEnergyLedger(admin, admin.address, admin.address)).getAddress();
  ledger = energyLedgerAt(address, admin);
  await (await ledger.getFunction('registerMetersInRegion')(METERS, METERS.map(() => household!.address), REGION)).wait();
  await writeMeterFiles(join(dir, 'meters'), METERS);
});
afterAll(async () => {
  provider?.destroy();
  await chain?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const base = (from: string, out: string) => ['--region', 'CN-JS-Suzhou', '--day', DATE, '--from', from, '--out', out, '--rpc', chain.url, '--contract', address];

describe('wattlet operator anchor', () => {
  it("anchors the region's one root (the library's, over the meters' files) and writes every household's path", async () => {
    const out = join(dir, 'store');
    const r = await cli([...base(join(dir, 'meters'), out), '--household-files', join(dir, 'households'), '--chunk', '16']);
    expect(r.stderr).toContain('60 meters');
    expect(r.code).toBe(0);
    const root = expectedRoot(METERS);
    expect(r.json).toMatchObject({ regionId: REGION, day: DATE, root, meters: 60, anchored: 'anchored' });
    expect(BigInt(r.json!.gasUsed as string)).toBeGreaterThan(21_000n);
    const a = await ledger.getFunction('regionAnchor')(REGION, DAY);
    expect([a.root, a.meters]).toEqual([root, 60n]);
    expect(a.importWh).toBe(METERS.reduce((s, m) => s + BigInt(handovers.get(m)!.importWh), 0n));

    // The store answers a household by its meter id, and so does its file.
    const store = (await openRegionStore(regionStoreDir(out, REGION, DAY)))!;
    try {
      for (const m of [METERS[0]!, METERS[37]!]) {
        const path = (await store.path(m))!;
        const file = await readRegionPathFile(handoverPaths(join(dir, 'households'), m, DAY).regionPath);
        expect(file).toEqual(path);
        expect(path).toMatchObject({ meterId: m, day: DAY, regionRoot: root, meters: 60, meterDayRoot: handovers.get(m)!.root, salt: meterDaySalt(SECRET, m, DAY) });
        const leaf = regionLeafValue({ meterId: m, day: DAY, root: path.meterDayRoot, importWh: BigInt(path.importWh), exportWh: BigInt(path.exportWh), salt: path.salt });
        expect(StandardMerkleTree.verify(root, [...REGION_LEAF_TYPES], leaf, path.path)).toBe(true);
      }
      expect(await store.path(meterIdOf('not in the region'))).toBeNull();
    } finally {
      await store.close();
    }

    // Run again (a retry after a lost answer): nothing is sent, nothing refused.
    const again = await cli(base(join(dir, 'meters'), out));
    expect(again.json).toMatchObject({ root, anchored: 'already', gasUsed: '0' });
  });

  it('resumes a build killed mid-way (SIGKILL) from its last checkpoint, to the same root', async () => {
    const out = join(dir, 'store-killed');
    const args = ['operator', 'anchor', ...base(join(dir, 'meters'), out), '--chunk', '1', '--no-anchor'];
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, WATTLET_OPERATOR_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let finished = false;
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.stdout.on('data', () => (finished = true));
    await new Promise<void>((ok) => {
      let seen = 0;
      child.stderr.on('data', (d: Buffer) => {
        seen += (d.toString().match(/meter folders/g) ?? []).length;
        if (seen >= 3) ok();
      });
    });
    child.kill('SIGKILL');
    await exited;
    expect(finished).toBe(false);
    const r = await cli([...base(join(dir, 'meters'), out), '--no-anchor']);
    expect(r.code).toBe(0);
    const resumed = r.json!.resumedMeterFolders as number;
    expect(resumed).toBeGreaterThanOrEqual(3);
    expect(resumed).toBeLessThan(60);
    expect(r.json).toMatchObject({ root: expectedRoot(METERS), meters: 60, anchored: 'not asked' });
  }, 60_000);

  it('resumes after a failure at any checkpoint, reading only the folders not yet done', async () => {
    const work = join(dir, 'work-hook');
    const opts = { regionId: REGION, day: DAY, from: join(dir, 'meters'), work, secret: SECRET, chunk: 7 };
    let checkpoints = 0;
    await expect(
      buildRegionFromFolder({
        ...opts,
        onCheckpoint: () => {
          if (++checkpoints === 4) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const resumed = await buildRegionFromFolder(opts);
    expect(resumed.resumedEntries).toBe(28);
    expect(resumed.readEntries).toBe(32);
    expect(resumed.tree.root).toBe(expectedRoot(METERS));
  });

  it('refuses a meter twice, a file of another day, a file its intervals do not build, and a meter not in the region', async () => {
    const refusal = async (name: string, change: (folder: string) => Promise<void>) => {
      const folder = join(dir, name);
      await cp(join(dir, 'meters'), folder, { recursive: true });
      await change(folder);
      const r = await cli([...base(folder, join(dir, `store-${name}`)), '--no-anchor'], {});
      return r;
    };
    const m = METERS[5]!;
    // The same meter under a folder name in capitals: two leaves for one meter.
    const twice = await refusal('twice', async (f) => {
      await mkdir(join(f, '0x' + m.slice(2).toUpperCase()));
      await writeFile(join(f, '0x' + m.slice(2).toUpperCase(), `${DATE}.json`), JSON.stringify(handovers.get(m)));
    });
    expect([twice.code, twice.stderr]).toEqual([1, expect.stringContaining('LEDGER_REGION_DUPLICATE_METER')]);
    expect(twice.stderr).toContain(m);

    const otherDay = await refusal('other-day', async (f) => {
      await writeFile(join(f, m, `${DATE}.json`), JSON.stringify({ ...handovers.get(m), day: DAY - 1 }));
    });
    expect([otherDay.code, otherDay.stderr]).toEqual([1, expect.stringContaining('LEDGER_REGION_WRONG_DAY')]);

    const altered = await refusal('altered', async (f) => {
      const h = JSON.parse(await readFile(join(f, m, `${DATE}.json`), 'utf8')) as { intervals: Array<{ exportWh: string }> };
      h.intervals[50]!.exportWh = String(Number(h.intervals[50]!.exportWh) + 1);
      await writeFile(join(f, m, `${DATE}.json`), JSON.stringify(h));
    });
    expect([altered.code, altered.stderr]).toEqual([1, expect.stringContaining('LEDGER_REGION_ROOT_MISMATCH')]);

    // A meter the ledger does not list in the region (checked against MeterRegionSet when anchoring).
    const stranger = meterIdOf('not registered');
    await writeMeterFiles(join(dir, 'with-stranger'), [...METERS.slice(0, 3), stranger]);
    const r = await cli(base(join(dir, 'with-stranger'), join(dir, 'store-stranger')));
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('LEDGER_REGION_METER_NOT_IN_REGION')]);
  });

  it('refuses to replace an anchored region-day (anchors are final) and sends nothing', async () => {
    const folder = join(dir, 'fewer');
    await writeMeterFiles(folder, METERS.slice(0, 10));
    const before = await provider.getTransactionCount(operatorAccount!.address);
    const r = await cli(base(folder, join(dir, 'store-fewer')));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LEDGER_REGION_ANCHOR_FINAL');
    expect(await provider.getTransactionCount(operatorAccount!.address)).toBe(before);
    expect((await ledger.getFunction('regionAnchor')(REGION, DAY)).root).toBe(expectedRoot(METERS));
  });

  it('says what is missing: the operator key and secret come from the environment only', async () => {
    const r = await cli(base(join(dir, 'meters'), join(dir, 'x')), { WATTLET_OPERATOR_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('WATTLET_OPERATOR_KEY');
    const s = await cli(base(join(dir, 'meters'), join(dir, 'x')), { WATTLET_OPERATOR_SECRET: 'short' });
    expect(s.code).toBe(2);
  });
});
