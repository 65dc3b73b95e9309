import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDayEvidence } from '../../../main/ledger/rpc/day-evidence.js';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import type { RpcAccountProof } from '../../../main/ledger/verify/rpc-shapes.js';
import { verifyDay } from '../../../main/ledger/verify/verify-day.js';
import type { DayReport } from '../../../main/ledger/verify/report.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import type { RegionPath } from '../../../main/ledger/tree/region-path.js';
import { daySlots, slotList } from '../../../main/ledger/verify/evidence-slots.js';
import { DAY0, startLocalLedger, type LocalLedger } from './local-ledger.js';
import { anchorRegionDay, registerRegion, type RegionDay } from './region-days.js';
import { flipByte, startTamperProxy, type Mutation } from './tamper-proxy.js';

let L: LocalLedger;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let B: number;
let faithful: { block: Record<string, string>; proof: RpcAccountProof };

beforeAll(async () => {
  L = await startLocalLedger();
  await L.operator.anchorDays(L.meterId, [DAY0, DAY0 + 1]);
  // Blocks after the anchor, so "another block" can be an older, equally authentic one.
  await L.operator.anchorDays(L.meterId, [DAY0 + 2]);
  proxy = await startTamperProxy(L.chain.url);
  const e = await fetchDayEvidence({ rpc: httpTransport(L.chain.url), contract: L.address, meterId: L.meterId, day: DAY0, minDepth: 0 });
  B = e.blockNumber;
  faithful = { block: e.block as Record<string, string>, proof: e.proof as RpcAccountProof };
});
afterAll(async () => {
  await proxy?.close();
  await L?.dispose();
});

async function throughProxy(mutate: Mutation | null): Promise<DayReport> {
  proxy.mutate = mutate;
  const evidence = await fetchDayEvidence({ rpc: httpTransport(proxy.url), contract: L.address, meterId: L.meterId, day: DAY0, minDepth: 0, blockNumber: B });
  proxy.mutate = null;
  return verifyDay({ meterId: L.meterId, day: DAY0, evidence, handover: await L.operator.handover(L.meterId, DAY0), local: null, minDepth: 0, resolutionWh: 1n });
}

const onProof = (f: (p: RpcAccountProof) => void): Mutation => (method, _params, result) => {
  if (method !== 'eth_getProof') return result;
  const p = structuredClone(result) as RpcAccountProof;
  f(p);
  return p;
};
const onBlock = (f: (b: Record<string, unknown>) => Record<string, unknown> | void): Mutation => (method, _params, result) => {
  if (method !== 'eth_getBlockByNumber') return result;
  const b = structuredClone(result) as Record<string, unknown>;
  return f(b) ?? b;
};
const failing = (r: DayReport) => r.steps.filter((s) => s.status === 'fail').map((s) => s.code);

describe('a lying endpoint is caught', () => {
  it('accepts the faithful answer through the proxy', async () => {
    const r = await throughProxy(null);
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('rejects a flipped byte in every account proof node', async () => {
    expect(faithful.proof.accountProof.length).toBeGreaterThan(1);
    for (let i = 0; i < faithful.proof.accountProof.length; i++) {
      for (const at of [0, 17, 1_000]) {
        const r = await throughProxy(onProof((p) => void (p.accountProof[i] = flipByte(p.accountProof[i]!, at))));
        expect(r.ok, `account node ${i} byte ${at}`).toBe(false);
        expect(failing(r)).toContain('PROOF_ACCOUNT_MISMATCH');
      }
    }
  });

  it('rejects a flipped byte in every storage proof node of both slots', async () => {
    for (let s = 0; s < faithful.proof.storageProof.length; s++) {
      const nodes = faithful.proof.storageProof[s]!.proof;
      expect(nodes.length).toBeGreaterThan(0);
      for (let i = 0; i < nodes.length; i++) {
        for (const at of [1, 40, 1_000]) {
          const r = await throughProxy(onProof((p) => void (p.storageProof[s]!.proof[i] = flipByte(p.storageProof[s]!.proof[i]!, at))));
          expect(r.ok, `slot ${s} node ${i} byte ${at}`).toBe(false);
          expect(failing(r)).toContain('PROOF_STORAGE_MISMATCH');
        }
      }
    }
  });

  it('rejects swapped or altered storage values and account fields', async () => {
    const cases: Array<[string, (p: RpcAccountProof) => void, string]> = [
      ['swap the two values', (p) => { const v = p.storageProof[0]!.value; p.storageProof[0]!.value = p.storageProof[1]!.value; p.storageProof[1]!.value = v; }, 'PROOF_STORAGE_MISMATCH'],
      ['another root', (p) => void (p.storageProof[0]!.value = '0x' + 'ab'.repeat(32)), 'PROOF_STORAGE_MISMATCH'],
      ['swap the two proofs', (p) => { const a = p.storageProof[0]!.proof; p.storageProof[0]!.proof = p.storageProof[1]!.proof; p.storageProof[1]!.proof = a; }, 'PROOF_STORAGE_MISMATCH'],
      ['drop a storage proof', (p) => void p.storageProof.pop(), 'PROOF_STORAGE_MISMATCH'],
      ['storageHash', (p) => void (p.storageHash = flipByte(p.storageHash, 3)), 'PROOF_ACCOUNT_MISMATCH'],
      ['balance', (p) => void (p.balance = '0x1'), 'PROOF_ACCOUNT_MISMATCH'],
      ['codeHash', (p) => void (p.codeHash = flipByte(p.codeHash, 0)), 'PROOF_ACCOUNT_MISMATCH'],
      ['truncated account proof', (p) => void p.accountProof.pop(), 'PROOF_ACCOUNT_MISMATCH'],
    ];
    for (const [name, f, code] of cases) {
      const r = await throughProxy(onProof(f));
      expect(r.ok, name).toBe(false);
      expect(failing(r), name).toContain(code);
    }
  });

  it('rejects a changed state root', async () => {
    const r = await throughProxy(onBlock((b) => void (b.stateRoot = flipByte(String(b.stateRoot), 5))));
    expect(failing(r)).toContain('PROOF_HEADER_HASH');
    expect(failing(r)).toContain('PROOF_ACCOUNT_MISMATCH');
  });

  it('rejects every forged header field', async () => {
    const fields = Object.keys(faithful.block).filter((k) => !['hash', 'size', 'totalDifficulty', 'transactions', 'uncles', 'withdrawals'].includes(k));
    expect(fields).toContain('requestsHash');
    for (const k of fields) {
      const r = await throughProxy(
        onBlock((b) => {
          const v = String(b[k]);
          const quantities = ['difficulty', 'number', 'gasLimit', 'gasUsed', 'timestamp', 'baseFeePerGas', 'blobGasUsed', 'excessBlobGas'];
          b[k] = quantities.includes(k) ? '0x' + (BigInt(v) + 1n).toString(16) : v === '0x' ? '0x00' : flipByte(v, 1);
        }),
      );
      expect(r.ok, k).toBe(false);
      expect(failing(r).some((c) => c === 'PROOF_HEADER_HASH' || c === 'PROOF_BLOCK_MISMATCH'), k).toBe(true);
    }
    const forgedHash = await throughProxy(onBlock((b) => void (b.hash = flipByte(String(b.hash), 9))));
    expect(failing(forgedHash)).toContain('PROOF_HEADER_HASH');
  });

  it('refuses unknown header fields and a field list of no fork', async () => {
    const unknown = await throughProxy(onBlock((b) => void (b.verkleRoot = '0x' + '11'.repeat(32))));
    expect(failing(unknown)).toContain('PROOF_UNKNOWN_HEADER_FIELD');
    const gap = await throughProxy(onBlock((b) => void delete b.withdrawalsRoot));
    expect(failing(gap)).toContain('PROOF_HEADER_FORK');
    const dropped = await throughProxy(onBlock((b) => void delete b.requestsHash));
    expect(failing(dropped)).toContain('PROOF_HEADER_HASH');
  });

  it('rejects an answer from another block', async () => {
    const older = (await httpTransport(L.chain.url).request('eth_getBlockByNumber', ['0x' + (B - 1).toString(16), false])) as Record<string, unknown>;
    const other = await throughProxy(onBlock(() => structuredClone(older)));
    expect(failing(other)).toContain('PROOF_BLOCK_MISMATCH');
    // The same older block relabelled with B's number: its hash gives it away.
    const relabelled = await throughProxy(onBlock(() => ({ ...structuredClone(older), number: '0x' + B.toString(16) })));
    expect(failing(relabelled)).toContain('PROOF_HEADER_HASH');
    // Proofs from the older state, against B's header: they do not lead to B's state root.
    const rpc = httpTransport(L.chain.url);
    const oldProof = await rpc.request('eth_getProof', [L.address, faithful.proof.storageProof.map((s) => s.key), '0x' + (B - 1).toString(16)]);
    const staleProof = await throughProxy((method, _p, result) => (method === 'eth_getProof' ? oldProof : result));
    expect(staleProof.ok).toBe(false);
    expect(failing(staleProof)).toContain('PROOF_ACCOUNT_MISMATCH');
  });
});

describe('a lying endpoint is caught under region anchors too', () => {
  const REGION = '0x' + 'c3'.repeat(32);
  const OTHER = '0x' + 'd4'.repeat(32);
  const home = meterIdOf('TAMPER-REGION-HOME');
  const meters = [home, ...Array.from({ length: 12 }, (_, i) => meterIdOf(`TAMPER-REGION-${i}`))];
  const D = DAY0 + 20;
  let day: RegionDay;
  let other: RegionDay;
  let RB: number;
  let regionFaithful: RpcAccountProof;
  let slots: ReturnType<typeof daySlots>;

  beforeAll(async () => {
    await registerRegion(L.ledger, REGION, meters, L.household.address);
    await registerRegion(L.ledger, OTHER, [meterIdOf('TAMPER-OTHER')], L.household.address);
    day = await anchorRegionDay(L.ledger, REGION, D, meters);
    other = await anchorRegionDay(L.ledger, OTHER, D, [meterIdOf('TAMPER-OTHER')]);
    const e = await fetchDayEvidence({ rpc: httpTransport(L.chain.url), contract: L.address, meterId: home, day: D, minDepth: 0, regionId: REGION });
    RB = e.blockNumber;
    regionFaithful = e.proof as RpcAccountProof;
    slots = daySlots(home, D, { pathRegionId: REGION });
  });

  async function regionThroughProxy(mutate: Mutation | null, opts: { path?: RegionPath | null } = {}): Promise<DayReport> {
    const path = opts.path === undefined ? day.path(home) : opts.path;
    proxy.mutate = mutate;
    const evidence = await fetchDayEvidence({ rpc: httpTransport(proxy.url), contract: L.address, meterId: home, day: D, minDepth: 0, blockNumber: RB, ...(path ? { regionId: path.regionId } : {}) });
    proxy.mutate = null;
    return verifyDay({ meterId: home, day: D, evidence, handover: day.handover(home), region: path, local: null, minDepth: 0, resolutionWh: 1n });
  }
  const entry = (p: RpcAccountProof, slot: string) => p.storageProof.find((s) => BigInt(s.key) === BigInt(slot))!;

  it('accepts the faithful answer, which proves the region anchor and the registration', async () => {
    expect(regionFaithful.storageProof.map((s) => BigInt(s.key))).toEqual(slotList(slots).map((s) => BigInt(s)));
    const r = await regionThroughProxy(null);
    expect(failing(r)).toEqual([]);
    expect(r).toMatchObject({ ok: true, design: 'region', region: { id: REGION, meters: String(meters.length) } });
  });

  it('rejects a flipped byte in every storage proof node of the region anchor and the registration', async () => {
    for (const slot of [slots.region!.root, slots.region!.totals, slots.meterRegion]) {
      const nodes = entry(regionFaithful, slot).proof;
      expect(nodes.length).toBeGreaterThan(0);
      for (let i = 0; i < nodes.length; i++) {
        for (const at of [2, 1_000]) {
          const r = await regionThroughProxy(onProof((p) => void (entry(p, slot).proof[i] = flipByte(entry(p, slot).proof[i]!, at))));
          expect(r.ok, `slot ${slot} node ${i} byte ${at}`).toBe(false);
          expect(failing(r)).toContain('PROOF_STORAGE_MISMATCH');
        }
      }
    }
  });

  it('rejects a claimed registration or region root that the proofs do not carry', async () => {
    const cases: Array<[string, (p: RpcAccountProof) => void]> = [
      ['registration claims the other region', (p) => void (entry(p, slots.meterRegion).value = OTHER)],
      ['region root of another region', (p) => void (entry(p, slots.region!.root).value = other.tree.root)],
      ['region root answered with the registration’s proof', (p) => void (entry(p, slots.region!.root).proof = entry(p, slots.meterRegion).proof)],
      ['registration proof dropped', (p) => void (p.storageProof = p.storageProof.filter((s) => BigInt(s.key) !== BigInt(slots.meterRegion)))],
    ];
    for (const [name, f] of cases) {
      const r = await regionThroughProxy(onProof(f));
      expect(r.ok, name).toBe(false);
      expect(failing(r), name).toEqual(['PROOF_STORAGE_MISMATCH']);
    }
  });

  it('cannot pass off another region’s anchor: a lying registration read picks slots the proven registration then refuses', async () => {
    // No path: the endpoint says my meter is in the other region; the proof of meterRegions says otherwise.
    const lie: Mutation = (method, params, result) => (method === 'eth_getStorageAt' ? OTHER : result);
    const r = await regionThroughProxy(lie, { path: null });
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.id === 'anchor')).toMatchObject({ status: 'fail', code: 'LEDGER_NO_REGION_PATH' });
    expect(r.region?.id).toBe(REGION);
    // The other region's genuine path and anchor, relabelled as mine.
    const foreign = await regionThroughProxy(null, { path: { ...other.path(meterIdOf('TAMPER-OTHER')), meterId: home } });
    expect(failing(foreign)).toEqual(['PROOF_REGION_MISMATCH']);
  });
});
