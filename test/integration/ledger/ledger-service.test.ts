import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { walletSender } from '../../../main/ledger/attest/transaction-sender.js';
import { demoAccounts } from '../../../main/ledger/chain/demo-accounts.js';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { ledgerHandlers } from '../../../main/ledger/handlers.js';
import { LedgerService } from '../../../main/ledger/ledger-service.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';

const today = dayOf(Date.now() / 1000);
const d = (offset: number) => formatDay(today + offset);
const meterId = meterIdOf('E0031234567890');
const source = syntheticReadingSource(5);
let demo: DemoLedger;
let provider: JsonRpcProvider;
let service: LedgerService;
const progress: Array<{ done: number; status: string }> = [];

beforeAll(async () => {
  demo = await startDemoLedger({ source, meterId, days: 6, discrepancies: [{ day: today - 3, index: 50, importDeltaWh: 40n }] });
  provider = new JsonRpcProvider(demo.url, demo.chainId, { staticNetwork: true, cacheTimeout: -1 });
  service = new LedgerService({
    mode: 'demo',
    endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }),
    meterId,
    local: source,
    handovers: demo.operator,
    sender: walletSender(new Wallet(demo.householdKey, provider)),
    emit: (event, payload) => {
      if (event === 'ledger.verifyProgress') progress.push(payload as { done: number; status: string });
    },
  });
});
afterAll(async () => {
  service?.dispose();
  provider?.destroy();
  await demo?.dispose();
});

describe('LedgerService over the demo chain, through the dispatcher', () => {
  const dispatch = () => createDispatcher(ledgerHandlers(service));
  const call = async (channel: string, request: unknown) => {
    const env = await dispatch()(channel, request, { host: 'cli' });
    if (!env.ok) throw Object.assign(new Error(env.error.code), { env });
    return env.result as Record<string, unknown>;
  };

  it('reports a connected ledger with chain id, contract and the meter owner', async () => {
    const s = await call('ledger.status', {});
    expect(s).toMatchObject({ state: 'connected', mode: 'demo', chainId: 31337, contract: demo.contract, meterId, owner: demo.owner });
  });

  it('lists days as missing, pending and differs before any verification', async () => {
    const r = (await call('ledger.days', { from: d(-8), to: d(0) })) as { days: Array<{ date: string; status: string; root: string | null }> };
    const by = Object.fromEntries(r.days.map((x) => [x.date, x.status]));
    // A region-day lists my meter's day root (the region path's), not the region's.
    const day2 = today - 2;
    expect(r.days.find((x) => x.date === d(-2))!.root).toBe((await demo.operator.handover(meterId, day2))!.root);
    expect(by[d(-8)]).toBe('missing');
    expect(by[d(-7)]).toBe('missing');
    expect(by[d(-6)]).toBe('pending');
    expect(by[d(-3)]).toBe('differs');
    expect(by[d(0)]).toBe('pending');
  });

  it('verifies a day step by step and then lists it as verified', async () => {
    const r = (await call('ledger.verifyDay', { date: d(-2) })) as { ok: boolean; design: string; region: unknown; steps: Array<{ id: string; status: string }> };
    expect(r.ok).toBe(true);
    // Two Merkle levels (intervals → meter-day root → region-day root), then storage and header.
    expect(r.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['readings:pass', 'leaves:pass', 'region:pass', 'anchor:pass', 'header:pass', 'checkpoint:skipped', 'finality:pass']);
    expect(r).toMatchObject({ design: 'region', region: { id: demo.regionId, meters: '8' } });
    const days = (await call('ledger.days', { from: d(-2), to: d(-2) })) as { days: Array<{ status: string }> };
    expect(days.days[0]!.status).toBe('verified');
  });

  it('verifies a range with progress and a summary that names the problem days', async () => {
    progress.length = 0;
    const s = await call('ledger.verifyRange', { jobId: 'j1', from: d(-7), to: d(-1) });
    expect(s).toMatchObject({ total: 7, done: 7, verified: 5, differs: 1, missing: 1, failed: 0, cancelled: false });
    expect((s.problems as Array<{ date: string; code: string }>).map((p) => p.code).sort()).toEqual(['LEDGER_NO_ANCHOR', 'PROOF_READINGS_DIFFER']);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops a range verification when cancelled', async () => {
    progress.length = 0;
    const running = call('ledger.verifyRange', { jobId: 'j2', from: d(-6), to: d(-1) });
    await new Promise((r) => setTimeout(r, 5));
    expect(await call('ledger.cancelVerify', { jobId: 'j2' })).toEqual({ cancelled: true });
    const s = await running;
    expect(s.cancelled).toBe(true);
    expect(s.done as number).toBeLessThan(6);
    expect(await call('ledger.cancelVerify', { jobId: 'j2' })).toEqual({ cancelled: false });
  });

  it("attests the household's own record of a day once, signed by the owner's wallet", async () => {
    const a = await call('ledger.attest', { date: d(-3) });
    expect(a.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const days = (await call('ledger.days', { from: d(-3), to: d(-3) })) as { days: Array<{ attested: boolean; root: string }> };
    expect(days.days[0]!.attested).toBe(true);
    // My record differs from the operator's in one interval, so the roots differ: a dispute on record.
    expect(a.root).not.toBe(days.days[0]!.root);
    const again = await dispatch()('ledger.attest', { date: d(-3) }, { host: 'cli' });
    expect(again).toMatchObject({ ok: false, error: { code: 'LEDGER_ALREADY_ATTESTED' } });
    const notYet = await dispatch()('ledger.attest', { date: d(0) }, { host: 'cli' });
    expect(notYet).toMatchObject({ ok: false, error: { code: 'LEDGER_DAY_NOT_CLOSED' } });
  });

  it('refuses an attestation from a wallet that does not own the meter', async () => {
    const stranger = new Wallet(demoAccounts(3)[2]!.privateKey, provider);
    const other = new LedgerService({ mode: 'demo', endpoint: () => ({ rpcUrl: demo.url, contract: demo.contract }), meterId, local: source, handovers: demo.operator, sender: walletSender(stranger) });
    await expect(other.attest(d(-2))).rejects.toMatchObject({ code: 'LEDGER_NOT_METER_OWNER' });
  });

  it('says unreachable or not configured with a coded error', async () => {
    const dead = new LedgerService({ mode: 'live', endpoint: () => ({ rpcUrl: 'http://127.0.0.1:9', contract: demo.contract }), meterId, local: source, handovers: demo.operator });
    expect(await dead.status()).toMatchObject({ state: 'unreachable', error: { code: 'LEDGER_RPC_UNREACHABLE' } });
    await expect(dead.verifyDay(d(-2))).rejects.toMatchObject({ code: 'LEDGER_RPC_UNREACHABLE' });
    const none = new LedgerService({ mode: 'live', endpoint: () => ({ rpcUrl: null, contract: null }), meterId, local: source, handovers: demo.operator });
    expect(await none.status()).toMatchObject({ state: 'not-configured' });
    await expect(none.days(d(-1), d(0))).rejects.toMatchObject({ code: 'LEDGER_NOT_CONFIGURED' });
  });
});
