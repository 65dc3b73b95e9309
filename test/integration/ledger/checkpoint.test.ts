import { mkdtemp, rm, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { CheckpointStore } from '../../../main/ledger/checkpoint/checkpoint-store.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { LedgerService, type LedgerServiceDeps } from '../../../main/ledger/ledger-service.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { flipByte, startTamperProxy } from './tamper-proxy.js';
import { energyLedgerInterface } from '../../../main/ledger/chain/ledger-contract.js';
import { ledgerCheckpointCommand } from '../../../main/cli/commands/ledger-checkpoint.js';

// A pinned checkpoint on a real Hardhat chain: block B linked to it by parent hashes, in both
// directions, refused when the checkpoint is another block or a header between was forged.
const meterId = meterIdOf('E0031234567890');
const source = syntheticReadingSource(5);
const day = formatDay(dayOf(Date.now() / 1000) - 2);
let demo: DemoLedger;
let dir: string;
let anchoredHead: number;
const rpc = () => httpTransport(demo.url);
const blockHash = async (n: number) => ((await rpc().request('eth_getBlockByNumber', ['0x' + n.toString(16), false])) as { hash: string }).hash;
const mine = async (count: number) => {
  for (let i = 0; i < count; i++) await rpc().request('evm_mine', []);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wattlet-checkpoint-'));
  demo = await startDemoLedger({ source, meterId, days: 3 });
  anchoredHead = Number(BigInt((await rpc().request('eth_blockNumber', [])) as string));
  await mine(12);
});
afterAll(async () => {
  await demo?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function service(name: string, over: Partial<LedgerServiceDeps> = {}) {
  return new LedgerService({
    mode: 'demo',
    endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }),
    meterId,
    local: source,
    handovers: demo.operator,
    checkpoints: new CheckpointStore(join(dir, name, 'ledger-checkpoint.json')),
    now: () => Date.parse('2026-12-02T10:00:00Z'),
    ...over,
  });
}
const stepOf = <S extends { id: string }>(r: { steps: S[] }, id: string): S => r.steps.find((s) => s.id === id)!;

describe('a pinned checkpoint in the day verification', () => {
  it('without one, the checkpoint step is skipped and says the block rests on the endpoint', async () => {
    const r = await service('none').verifyDay(day);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.id)).toEqual(['readings', 'leaves', 'region', 'anchor', 'header', 'checkpoint', 'finality']);
    expect(stepOf(r, 'checkpoint')).toMatchObject({ status: 'skipped', code: 'LEDGER_NO_CHECKPOINT' });
    expect(r.checkpoint).toBeNull();
  });

  it('pinned from a second endpoint: B descends from it, and the verdict names it', async () => {
    const s = service('rpc');
    // Evidence handed to the window before the pin rests on the endpoint; after it, on the checkpoint.
    expect((await s.evidence([day]))[0]!.trust.kind).toBe('one-endpoint');
    const pinned = await s.pinCheckpoint({ kind: 'rpc', url: demo.url, number: anchoredHead - 2 });
    expect((await s.evidence([day]))[0]!.trust.kind).toBe('checkpoint');
    expect(pinned.endpoint).toBe('agrees');
    expect(pinned.checkpoint).toMatchObject({ chainId: 31337, number: anchoredHead - 2, hash: await blockHash(anchoredHead - 2), pinnedAt: '2026-12-02', source: { kind: 'rpc', label: new URL(demo.url).host } });
    const file = join(dir, 'rpc', 'ledger-checkpoint.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ checkpoint: { number: anchoredHead - 2 } });
    const r = await s.verifyDay(day);
    expect(r.ok).toBe(true);
    expect(stepOf(r, 'checkpoint')).toMatchObject({ status: 'pass', code: null });
    expect(stepOf(r, 'checkpoint').message).toContain(`checked against the checkpoint pinned on 2026-12-02 from a second endpoint (${new URL(demo.url).host}), block ${anchoredHead - 2}`);
    expect(r.checkpoint).toMatchObject({ number: anchoredHead - 2, relation: 'descendant' });
    // A new service over the same data folder reads it back.
    expect((await service('rpc').checkpoint()).checkpoint?.number).toBe(anchoredHead - 2);
  });

  it('pinned from a line on the bill above B: B is an ancestor of it', async () => {
    const s = service('bill', { minDepth: 6 });
    const head = Number(BigInt((await rpc().request('eth_blockNumber', [])) as string));
    const pinned = await s.pinCheckpoint({ kind: 'bill', text: `Ledger checkpoint: chain 31337, block ${head} ${await blockHash(head)}`, label: 'November bill' });
    expect(pinned.endpoint).toBe('agrees');
    const r = await s.verifyDay(day);
    expect(r.ok).toBe(true);
    expect(r.checkpoint).toMatchObject({ number: head, relation: 'ancestor', source: { kind: 'bill', label: 'November bill' } });
    expect(stepOf(r, 'checkpoint').message).toContain('Block B is an ancestor of the checkpoint (6 headers): checked against the checkpoint pinned on 2026-12-02 from the bill (November bill)');
  });

  it('a checkpoint far below B is used as B itself, so no long chain is fetched', async () => {
    const s = service('far', { maxHeaderChain: 3 });
    await s.pinCheckpoint({ kind: 'file', text: JSON.stringify({ format: 'wattlet.checkpoint/1', chainId: 31337, number: anchoredHead, hash: await blockHash(anchoredHead) }), label: 'checkpoint.json' });
    const r = await s.verifyDay(day);
    expect(r.ok).toBe(true);
    expect(r.block?.number).toBe(anchoredHead);
    expect(r.checkpoint?.relation).toBe('at');
  });

  it('a day anchored after that far checkpoint is verified at the usual B, never called missing, its checkpoint step naming the bound', async () => {
    // The block before the day's region anchor: the contract is there, the anchor not yet.
    const topic = energyLedgerInterface.getEvent('RegionDayAnchored')!.topicHash;
    const logs = (await rpc().request('eth_getLogs', [{ address: demo.contract, fromBlock: '0x0', toBlock: 'latest', topics: [topic] }])) as Array<{ blockNumber: string; topics: string[]; data: string }>;
    const mine = logs.find((l) => Number(energyLedgerInterface.parseLog(l)!.args.getValue('day')) === dayOf(Date.parse(day) / 1000))!;
    const before = Number(BigInt(mine.blockNumber)) - 1;
    const s = service('far-before', { maxHeaderChain: 3 });
    await s.pinCheckpoint({ kind: 'bill', text: `block ${before} ${await blockHash(before)}`, label: '' });
    const r = await s.verifyDay(day);
    expect(r.block!.number).toBeGreaterThan(before + 3);
    expect(stepOf(r, 'anchor').status).toBe('pass');
    expect(stepOf(r, 'checkpoint')).toMatchObject({ status: 'fail', code: 'LEDGER_HEADER_CHAIN_TOO_LONG' });
    expect((await s.days(day, day)).days[0]!.status).not.toBe('missing');
  });

  it('too many headers above B to fetch: the step fails naming the bound', async () => {
    const s = service('too-long', { minDepth: 10, maxHeaderChain: 3 });
    const head = Number(BigInt((await rpc().request('eth_blockNumber', [])) as string));
    await s.pinCheckpoint({ kind: 'bill', text: `block ${head} ${await blockHash(head)}`, label: '' });
    const r = await s.verifyDay(day);
    expect(r.ok).toBe(false);
    expect(stepOf(r, 'checkpoint')).toMatchObject({ status: 'fail', code: 'LEDGER_HEADER_CHAIN_TOO_LONG' });
  });

  it('a checkpoint that is another block: the endpoint is said to differ and every verdict fails at the checkpoint step', async () => {
    const s = service('wrong');
    const pinned = await s.pinCheckpoint({ kind: 'bill', text: `block ${anchoredHead - 2} 0x${'3f'.repeat(32)}`, label: 'forged bill' });
    expect(pinned.endpoint).toBe('differs');
    const r = await s.verifyDay(day);
    expect(r.ok).toBe(false);
    expect(stepOf(r, 'checkpoint')).toMatchObject({ status: 'fail', code: 'LEDGER_CHECKPOINT_MISMATCH' });
    // Every other step still passes: only the outside anchor disagrees.
    expect(r.steps.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['checkpoint']);
    expect(await s.clearCheckpoint()).toEqual({ cleared: true });
    expect((await s.verifyDay(day)).ok).toBe(true);
  });

  it('an endpoint that forges a header between the checkpoint and B is caught, naming the block', async () => {
    const proxy = await startTamperProxy(demo.url);
    try {
      const forged = anchoredHead + 3;
      proxy.mutate = (method, params, result) => {
        if (method === 'eth_getBlockByNumber' && params[0] === '0x' + forged.toString(16) && result && typeof result === 'object') {
          const b = result as Record<string, string>;
          return { ...b, stateRoot: flipByte(b['stateRoot']!, 5) };
        }
        return result;
      };
      const s = service('forged', { endpoint: () => ({ rpcUrl: proxy.url, contract: demo.contract }) });
      await s.pinCheckpoint({ kind: 'bill', text: `block ${anchoredHead} ${await blockHash(anchoredHead)}`, label: '' });
      const r = await s.verifyDay(day);
      expect(r.ok).toBe(false);
      const step = stepOf(r, 'checkpoint');
      expect(step).toMatchObject({ status: 'fail', code: 'LEDGER_HEADER_CHAIN_BROKEN' });
      expect(step.comparisons.at(-1)!.subject).toContain(`block ${forged}`);
    } finally {
      await proxy.close();
    }
  });

  it('the line an operator prints with `wattlet ledger checkpoint` is one a household pins as it is', async () => {
    const out = async (args: string[]) => {
      let stdout = '';
      const code = await ledgerCheckpointCommand().run(['--rpc', demo.url, ...args], { stdout: (t) => void (stdout += t), stderr: () => {}, stdin: process.stdin, env: {} });
      return { code, stdout };
    };
    const line = await out(['--block', String(anchoredHead)]);
    expect(line).toEqual({ code: 0, stdout: `Ledger checkpoint: chain 31337, block ${anchoredHead.toLocaleString('en')}, ${await blockHash(anchoredHead)}\n` });
    const s = service('printed');
    expect((await s.pinCheckpoint({ kind: 'bill', text: line.stdout, label: 'December bill' })).endpoint).toBe('agrees');
    const file = await out(['--json', '--depth', '3']);
    const parsed = JSON.parse(file.stdout) as { format: string; number: number };
    expect(parsed.format).toBe('wattlet.checkpoint/1');
    expect((await s.pinCheckpoint({ kind: 'file', text: file.stdout, label: 'checkpoint.json' })).checkpoint.number).toBe(parsed.number);
    expect((await s.verifyDay(day)).ok).toBe(true);
  });

  it('refuses a line that is not a checkpoint, keeping the one pinned', async () => {
    const s = service('rpc');
    await expect(s.pinCheckpoint({ kind: 'bill', text: 'block 12', label: '' })).rejects.toMatchObject({ code: 'LEDGER_CHECKPOINT_INVALID', facts: { problem: 'no-hash' } });
    expect((await s.checkpoint()).checkpoint?.number).toBe(anchoredHead - 2);
  });
});
