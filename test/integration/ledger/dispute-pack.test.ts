import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFile } from '../../../main/cli/commands/ledger-verify-file.js';
import { demoAccounts } from '../../../main/ledger/chain/demo-accounts.js';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { CheckpointStore } from '../../../main/ledger/checkpoint/checkpoint-store.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { packDigest } from '../../../main/ledger/dispute/canonical-json.js';
import type { DisputePack, DisputePackBody, IntervalProof } from '../../../main/ledger/dispute/pack-format.js';
import { keyPackSigner } from '../../../main/ledger/dispute/pack-signer.js';
import { packStatement } from '../../../main/ledger/dispute/pack-statement.js';
import { verifyDisputePack, verifyIntervalProof } from '../../../main/ledger/dispute/verify-pack.js';
import { ledgerHandlers } from '../../../main/ledger/handlers.js';
import { LedgerService } from '../../../main/ledger/ledger-service.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { flipByte } from './tamper-proxy.js';

// Dispute packs and one-interval proofs made by the ledger service on a real Hardhat chain (the
// demo operator anchoring per region, one day with a discrepancy), then verified from the file
// alone — through the CLI's function and once as a real process — and refused, naming the step,
// for each kind of tampering.
const run = promisify(execFile);
const meterId = meterIdOf('E0031234567890');
const source = syntheticReadingSource(5);
const today = dayOf(Date.now() / 1000);
const agreeing = formatDay(today - 2);
const differing = formatDay(today - 3);
let demo: DemoLedger;
let dir: string;
let service: LedgerService;
let owner: Wallet;
let goodPack: DisputePack;
let differingPack: DisputePack;
let goodProof: IntervalProof;
let missingPack: { text: string; anchored: boolean; refusedAt: string | null };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wattlet-pack-'));
  demo = await startDemoLedger({ source, meterId, days: 4, discrepancies: [{ day: today - 3, index: 72, importDeltaWh: 410n }] });
  owner = new Wallet(demo.householdKey);
  service = new LedgerService({
    mode: 'demo',
    endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }),
    meterId,
    local: source,
    handovers: demo.operator,
    checkpoints: new CheckpointStore(join(dir, 'ledger-checkpoint.json')),
    packSigner: keyPackSigner(owner),
  });
  // A checkpoint below the anchors: every pack carries the headers from it up to B.
  const head = Number(BigInt((await fetchJson('eth_blockNumber', [])) as string));
  await service.pinCheckpoint({ kind: 'rpc', url: demo.url, number: head - 3 });
  goodPack = JSON.parse((await service.disputePack(agreeing)).text) as DisputePack;
  differingPack = JSON.parse((await service.disputePack(differing)).text) as DisputePack;
  goodProof = JSON.parse((await service.intervalProof(agreeing, 40)).text) as IntervalProof;
  missingPack = await service.disputePack(formatDay(today - 7));
});
afterAll(async () => {
  service?.dispose();
  await demo?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fetchJson(method: string, params: unknown[]): Promise<unknown> {
  const r = await fetch(demo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return ((await r.json()) as { result: unknown }).result;
}

const copy = <T>(x: T): T => structuredClone(x);
const bodyOf = (p: DisputePack) => p.body as DisputePackBody;

/** The pack re-signed by `key` after an edit: what a household (or a thief with its key) could make. */
async function resign(p: DisputePack, key: Wallet = owner): Promise<DisputePack> {
  const statement = packStatement(bodyOf(p), packDigest(p.body));
  return { ...p, signature: { signer: key.address, statement, signature: await key.signMessage(statement) } };
}

async function cli(args: { pack?: string; intervalProof?: string; json?: boolean }) {
  let stdout = '';
  let stderr = '';
  const code = await verifyFile(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

async function fileOf(name: string, value: unknown): Promise<string> {
  const f = join(dir, name);
  await writeFile(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

describe('a dispute pack', () => {
  it('holds my readings, the operator’s leaves with salts and proofs, the proofs, the headers to the checkpoint, signed by the owner', async () => {
    const b = bodyOf(goodPack);
    expect(b).toMatchObject({ format: 'wattlet.dispute-pack/1', meterId, date: agreeing, chainId: 31337 });
    expect(b.readings).toHaveLength(96);
    const h = b.handover as { intervals: Array<{ salt: string; proof: string[] }> };
    expect(h.intervals).toHaveLength(96);
    expect(h.intervals.every((iv) => /^0x[0-9a-fA-F]{64}$/.test(iv.salt) && iv.proof.length >= 6 && iv.proof.length <= 7)).toBe(true);
    expect((b.regionPath as { format: string }).format).toBe('wattlet.region-path/1');
    expect(b.checkpoint!.headers.length).toBe(b.evidence.blockNumber - b.checkpoint!.checkpoint.number);
    expect(goodPack.signature.signer).toBe(owner.address);
    expect(goodPack.signature.statement).toContain(`Meter ${meterId}, day ${agreeing} (UTC).`);
    expect(goodPack.signature.statement).toContain(`Pack digest: ${packDigest(goodPack.body)}`);
  });

  it('verifies offline, step by step: intact, the owner’s signature, and the verdict re-derived', async () => {
    const r = await verifyDisputePack(copy(goodPack));
    expect(r).toMatchObject({ ok: true, refusedAt: null, verdict: 'agrees', signer: owner.address });
    expect(r.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['format:pass', 'signature:pass', 'readings:pass', 'leaves:pass', 'region:pass', 'anchor:pass', 'header:pass', 'checkpoint:pass', 'finality:pass']);
    const d = await verifyDisputePack(copy(differingPack));
    expect(d).toMatchObject({ ok: true, verdict: 'differs' });
    const bad = d.day!.steps.find((s) => s.id === 'readings')!.comparisons.filter((c) => !c.ok);
    expect(bad.map((c) => c.subject)).toEqual([expect.stringMatching(/T18:00Z importWh/)]);
  });

  it('through the CLI: each step printed, then the verdict; exit 0', async () => {
    const r = await cli({ pack: await fileOf('differing.json', differingPack) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const id of ['format', 'signature', 'readings', 'leaves', 'region', 'anchor', 'header', 'checkpoint', 'finality']) expect(r.stdout).toMatch(new RegExp(`[✓✗–] ${id}`));
    expect(r.stdout).toContain("Verdict: my meter differs from the operator's anchored record: the operator has 0.410 kWh more imported between 18:00 and 18:15 UTC, in 1 quarter-hour(s).");
  });

  it('of a day the operator never anchored: intact, the absence proven, said as the verdict', async () => {
    expect(missingPack).toMatchObject({ anchored: false, refusedAt: null });
    const r = await verifyDisputePack(JSON.parse(missingPack.text));
    expect(r).toMatchObject({ ok: true, anchored: false });
    expect(r.steps.find((s) => s.id === 'anchor')).toMatchObject({ status: 'fail', code: 'LEDGER_NO_ANCHOR' });
    const c = await cli({ pack: await fileOf('missing.json', JSON.parse(missingPack.text)) });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Verdict: the operator has not anchored this day: its anchor is proven absent at block');
    // A forged header under a "missing" day is still refused.
    const forged = JSON.parse(missingPack.text) as DisputePack;
    const b = bodyOf(forged).evidence.block as Record<string, string>;
    b['receiptsRoot'] = flipByte(b['receiptsRoot']!, 9);
    expect(await verifyDisputePack(await resign(forged))).toMatchObject({ ok: false, refusedAt: 'header' });
  });

  const tampers: Array<[string, (p: DisputePack) => Promise<DisputePack> | DisputePack, string, string, boolean]> = [
    [
      'a flipped byte in a storage proof node (re-signed by the owner)',
      async (p) => {
        const proof = bodyOf(p).evidence.proof as { storageProof: Array<{ proof: string[] }> };
        const nodes = proof.storageProof[0]!.proof;
        nodes[nodes.length - 1] = flipByte(nodes[nodes.length - 1]!, 40);
        return resign(p);
      },
      'anchor',
      'PROOF_STORAGE_MISMATCH',
      false,
    ],
    [
      'a flipped byte in an account proof node (not re-signed)',
      (p) => {
        const proof = bodyOf(p).evidence.proof as { accountProof: string[] };
        proof.accountProof[1] = flipByte(proof.accountProof[1]!, 30);
        return p;
      },
      'anchor',
      'PROOF_ACCOUNT_MISMATCH',
      true,
    ],
    [
      "another value in one of the operator's leaves (re-signed)",
      async (p) => {
        const h = bodyOf(p).handover as { intervals: Array<{ importWh: string }> };
        h.intervals[30]!.importWh = String(BigInt(h.intervals[30]!.importWh) + 1n);
        return resign(p);
      },
      'leaves',
      'PROOF_LEAF_NOT_UNDER_ROOT',
      false,
    ],
    [
      'another value in my own readings',
      (p) => {
        bodyOf(p).readings![10]!.importWh = '1';
        return p;
      },
      'signature',
      'PACK_SIGNATURE',
      true,
    ],
    [
      'a bad signature',
      (p) => ({ ...p, signature: { ...p.signature, signature: flipByte(p.signature.signature, 10) } }),
      'signature',
      'PACK_SIGNATURE',
      true,
    ],
    ['a pack re-signed by a key that does not own the meter', (p) => resign(p, new Wallet(demoAccounts(3)[2]!.privateKey)), 'signature', 'PACK_SIGNER_NOT_OWNER', true],
    [
      'a header between the checkpoint and B altered (re-signed)',
      async (p) => {
        const h = bodyOf(p).checkpoint!.headers[0] as Record<string, string>;
        h['stateRoot'] = flipByte(h['stateRoot']!, 3);
        return resign(p);
      },
      'checkpoint',
      'LEDGER_HEADER_CHAIN_BROKEN',
      false,
    ],
    [
      'a checkpoint the headers do not chain to (re-signed)',
      async (p) => {
        bodyOf(p).checkpoint!.checkpoint.hash = '0x' + '3f'.repeat(32);
        return resign(p);
      },
      'checkpoint',
      'LEDGER_CHECKPOINT_MISMATCH',
      false,
    ],
    [
      "a flipped byte in block B's header (re-signed)",
      async (p) => {
        const b = bodyOf(p).evidence.block as Record<string, string>;
        b['receiptsRoot'] = flipByte(b['receiptsRoot']!, 2);
        return resign(p);
      },
      'header',
      'PROOF_HEADER_HASH',
      false,
    ],
    [
      "another region path (a sibling altered, re-signed)",
      async (p) => {
        const r = bodyOf(p).regionPath as { path: string[] };
        r.path[0] = flipByte(r.path[0]!, 0);
        return resign(p);
      },
      'region',
      'PROOF_REGION_PATH',
      false,
    ],
  ];

  for (const [name, tamper, step, code, alsoSignature] of tampers) {
    it(`refuses ${name}, naming the step ${step}`, async () => {
      const t = await tamper(copy(goodPack));
      const r = await verifyDisputePack(t);
      expect(r.ok).toBe(false);
      expect(r).toMatchObject({ refusedAt: step, code });
      expect(r.failed.includes('signature')).toBe(alsoSignature || step === 'signature');
      const c = await cli({ pack: await fileOf(`tampered-${step}.json`, t) });
      expect(c.code).toBe(1);
      expect(c.stdout).toContain(`REFUSED at step ${step}`);
      expect(c.stderr).toContain(code);
    });
  }

  it('refuses a file that is not a pack at the format step, and an unreadable one as a usage error', async () => {
    expect(await cli({ pack: await fileOf('not-json.json', 'hello') })).toMatchObject({ code: 1, stdout: expect.stringContaining('REFUSED at step format') });
    expect((await verifyDisputePack({ format: 'wattlet.dispute-pack/1', body: {}, signature: goodPack.signature })).refusedAt).toBe('format');
    await expect(cli({ pack: join(dir, 'nothing-here.json') })).rejects.toThrow(/cannot read/);
  });
});

describe('one-interval disclosure', () => {
  it('holds one quarter-hour, its salt and paths, and nothing else of the day', async () => {
    expect(goodProof).toMatchObject({ format: 'wattlet.interval-proof/1', index: 40, meterId, date: agreeing });
    const others = (bodyOf(goodPack).handover as { intervals: Array<{ salt: string }> }).intervals.filter((_, i) => i !== 40);
    const text = JSON.stringify(goodProof);
    expect(others.filter((iv) => text.includes(iv.salt.slice(2)))).toEqual([]);
    expect(text).not.toContain('"readings"');
    expect(goodProof.interval.proof).toHaveLength(7);
  });

  it('verifies offline through the CLI and names the quarter-hour', async () => {
    const r = await verifyIntervalProof(copy(goodProof));
    expect(r).toMatchObject({ ok: true, interval: { index: 40, importWh: goodProof.interval.importWh } });
    expect(r.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['format:pass', 'leaves:pass', 'region:pass', 'anchor:pass', 'header:pass', 'checkpoint:pass', 'finality:pass']);
    const c = await cli({ intervalProof: await fileOf('interval.json', goodProof) });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Proven: 10:00–10:15 UTC');
  });

  const tampers: Array<[string, (p: IntervalProof) => void, string, string]> = [
    ['another value', (p) => void (p.interval.importWh = String(BigInt(p.interval.importWh) + 1n)), 'leaves', 'PROOF_LEAF_NOT_UNDER_ROOT'],
    ['a flipped sibling in its path', (p) => void (p.interval.proof[3] = flipByte(p.interval.proof[3]!, 7)), 'leaves', 'PROOF_LEAF_NOT_UNDER_ROOT'],
    ['another salt', (p) => void (p.interval.salt = flipByte(p.interval.salt, 0)), 'leaves', 'PROOF_LEAF_NOT_UNDER_ROOT'],
    ['another day total in the meter-day leaf', (p) => {
      const r = p.regionPath as { importWh: string };
      r.importWh = String(BigInt(r.importWh) + 1n);
    }, 'region', 'PROOF_REGION_PATH'],
    ['another meter-day root', (p) => void (p.meterDay.root = flipByte(p.meterDay.root, 4)), 'leaves', 'PROOF_LEAF_NOT_UNDER_ROOT'],
    ['a flipped storage proof node', (p) => {
      const proof = p.evidence.proof as { storageProof: Array<{ proof: string[] }> };
      const nodes = proof.storageProof.at(-1)!.proof;
      nodes[0] = flipByte(nodes[0]!, 12);
    }, 'anchor', 'PROOF_STORAGE_MISMATCH'],
    ['a header not chaining to the checkpoint', (p) => void ((p.checkpoint!.headers[1] as Record<string, string>)['parentHash'] = '0x' + '00'.repeat(32)), 'checkpoint', 'LEDGER_HEADER_CHAIN_BROKEN'],
    ['another quarter-hour index', (p) => void (p.index = 41), 'format', 'PACK_MALFORMED'],
  ];
  for (const [name, tamper, step, code] of tampers) {
    it(`refuses ${name}, naming the step ${step}`, async () => {
      const t = copy(goodProof);
      tamper(t);
      const r = await verifyIntervalProof(t);
      expect(r).toMatchObject({ ok: false, refusedAt: step, code });
      const c = await cli({ intervalProof: await fileOf(`interval-${name.replace(/\W+/g, '-')}.json`, t) });
      expect(c.code).toBe(1);
      expect(c.stderr).toContain(`refused at step ${step}`);
    });
  }
});

describe('the channels', () => {
  const ctx = { host: 'cli' } as const;
  it('save a pack and an interval proof through the save dialog, readable by the user only, and verifiable', async () => {
    const asked: string[] = [];
    const handlers = ledgerHandlers(service, { chooseSavePath: async (name) => (asked.push(name), join(dir, `saved-${asked.length}.json`)) });
    const saved = await handlers['ledger.disputePackFile']({ date: differing }, ctx);
    expect(saved).toMatchObject({ file: join(dir, 'saved-1.json'), signer: owner.address, verdict: 'differs' });
    expect((await stat(saved.file)).mode & 0o777).toBe(0o600);
    expect((await verifyDisputePack(JSON.parse(await readFile(saved.file, 'utf8')))).ok).toBe(true);
    const one = await handlers['ledger.intervalProofFile']({ date: agreeing, index: 5 }, ctx);
    expect((await verifyIntervalProof(JSON.parse(await readFile(one.file, 'utf8')))).interval?.index).toBe(5);
    expect(asked).toEqual([`wattlet-dispute-${differing}.json`, `wattlet-interval-${agreeing}-05.json`]);
  });

  it('a cancelled dialog signs nothing; a host without a dialog says so', async () => {
    let signed = 0;
    const counting = new LedgerService({
      mode: 'demo', endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }), meterId, local: source, handovers: demo.operator,
      packSigner: { address: async () => owner.address, signMessage: async (t) => (signed++, owner.signMessage(t)) },
    });
    await expect(ledgerHandlers(counting, { chooseSavePath: async () => null })['ledger.disputePackFile']({ date: agreeing }, ctx)).rejects.toMatchObject({ code: 'LEDGER_EXPORT_CANCELLED' });
    expect(signed).toBe(0);
    await expect(ledgerHandlers(counting)['ledger.intervalProofFile']({ date: agreeing, index: 3 }, ctx)).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    await expect(new LedgerService({ mode: 'demo', endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }), meterId, local: source, handovers: demo.operator }).disputePack(agreeing)).rejects.toMatchObject({ code: 'LEDGER_NO_SIGNER' });
  });
});

describe("a reader's own checkpoint ties the file to the real chain", () => {
  it('passes for block B, the pack’s checkpoint or a header between; refuses another hash or a block the file does not link', async () => {
    const b = bodyOf(goodPack);
    const h = b.checkpoint!.headers[1] as { number: string; hash: string };
    const block = b.evidence.block as { number: string; hash: string };
    for (const c of [
      { chainId: 31337, number: Number(BigInt(h.number)), hash: h.hash },
      { chainId: null, number: b.evidence.blockNumber, hash: block.hash },
      { chainId: 31337, number: b.checkpoint!.checkpoint.number, hash: b.checkpoint!.checkpoint.hash },
    ]) {
      const r = await verifyDisputePack(copy(goodPack), { checkpoint: c });
      expect(r.ok, JSON.stringify(c)).toBe(true);
      expect(r.steps.at(-1)).toMatchObject({ id: 'reader-checkpoint', status: 'pass' });
    }
    for (const c of [
      { chainId: 31337, number: Number(BigInt(h.number)), hash: '0x' + '3f'.repeat(32) },
      { chainId: 31337, number: 1, hash: h.hash },
      { chainId: 1, number: b.evidence.blockNumber, hash: block.hash },
    ]) {
      expect(await verifyDisputePack(copy(goodPack), { checkpoint: c })).toMatchObject({ ok: false, refusedAt: 'reader-checkpoint', code: 'LEDGER_CHECKPOINT_MISMATCH' });
    }
    const proof = await verifyIntervalProof(copy(goodProof), { checkpoint: { chainId: 31337, number: Number(BigInt(h.number)), hash: h.hash } });
    expect(proof.ok).toBe(true);
  });

  it('the CLI says whose checkpoint the file rests on, and takes the reader’s own', async () => {
    const f = await fileOf('reader.json', goodPack);
    const without = await cli({ pack: f });
    expect(without.stdout).toContain("is the household's own: compare it with a source of yours, or pass --checkpoint");
    const block = bodyOf(goodPack).evidence.block as { hash: string };
    const line = `block ${bodyOf(goodPack).evidence.blockNumber} ${block.hash}`;
    const p = await run('npx', ['tsx', 'main/cli/main.ts', 'ledger', 'verify', '--pack', f, '--checkpoint', line]);
    expect(p.stdout).toContain('✓ reader-checkpoint');
    expect(p.stdout).toContain('is the block you hold');
    // Online too: block B linked to a checkpoint the reader typed.
    const head = Number(BigInt((await fetchJson('eth_blockNumber', [])) as string));
    const n = head - 4;
    const hash = ((await fetchJson('eth_getBlockByNumber', ['0x' + n.toString(16), false])) as { hash: string }).hash;
    // No --region-path: the region link stays unchecked, so the status is 3 (nothing failed, nothing
    // proven); the checkpoint step is what this asks about.
    const online = (await run('npx', ['tsx', 'main/cli/main.ts', 'ledger', 'verify', '--rpc', demo.url, '--contract', demo.contract, '--meter', 'E0031234567890', '--day', agreeing, '--checkpoint', `block ${n} ${hash}`]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => e,
    ));
    expect(online.code).toBe(3);
    const report = JSON.parse(online.stdout) as { checkpoint: { number: number; relation: string }; steps: Array<{ id: string; status: string }> };
    expect(report.checkpoint).toMatchObject({ number: n, relation: 'descendant' });
    expect(report.steps.find((x) => x.id === 'checkpoint')!.status).toBe('pass');
  });
});

describe('on another machine: the chain gone, the file alone', () => {
  it('verifies a pack as a real process, and refuses a tampered one with exit 1', async () => {
    const f = await fileOf('offline.json', differingPack);
    await demo.dispose();
    const p = await run('npx', ['tsx', 'main/cli/main.ts', 'ledger', 'verify', '--pack', f]);
    expect(p.stdout).toContain('Intact: every link proven offline');
    expect(p.stdout).toContain('✓ checkpoint');
    const tampered = copy(differingPack);
    bodyOf(tampered).readings![3]!.importWh = '999';
    const bad = await run('npx', ['tsx', 'main/cli/main.ts', 'ledger', 'verify', '--pack', await fileOf('readings.json', tampered)]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toContain('refused at step signature');
  });
});
