import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf, formatDay } from '../../main/ledger/day.js';
import { verifyDisputePack } from '../../main/ledger/dispute/verify-pack.js';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// Issue 19: a dispute pack is signed by the household's key, so asking for one is asking for a
// signature. Against the real host process (demo mode's chain, its own keyring), a script with
// only the main window's token asks for a pack and tries to have it signed without a person:
// the answer waits on the approval surface, nothing signed reaches the window while it waits, and
// the script cannot approve it itself; cancelled, it is refused. Only a decision on the approval
// page (reached out of band) yields the signed pack.

const me = Wallet.createRandom();
const day = formatDay(dayOf(Date.now() / 1000) - 1);
let target: Target;
let a: Attacker;

beforeAll(async () => {
  target = await startTarget({ args: ['--demo-days', '3'] });
  a = await Attacker.connect(target.host);
  await a.result('wallet.import', { kind: 'privateKey', privateKey: me.privateKey });
  await a.result('wallet.unlock');
  // Demo mode registers the meter to the wallet's account; the pack's signer must own it at B.
  for (let i = 0; i < 600; i++) {
    const s = await a.call('ledger.status');
    if (s.ok && (s.result as { owner: string | null }).owner?.toLowerCase() === me.address.toLowerCase()) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}, 120_000);
afterAll(async () => {
  a?.close();
  await target?.stop();
});

const pending = () => a.events.filter((e) => e.event === 'wallet.approvalPending');
const settle = <T>(p: Promise<T>, ms: number) => Promise.race([p.then((v) => ({ done: true as const, v })), new Promise<{ done: false }>((ok) => setTimeout(() => ok({ done: false }), ms))]);

describe('a dispute pack asked for by the main window', () => {
  it('waits for a person: no pack while the approval waits, no way for the script to approve, refused when cancelled', async () => {
    expect((await a.result<{ owner: string }>('ledger.status')).owner.toLowerCase()).toBe(me.address.toLowerCase());
    const before = pending().length;
    const asked = a.call('ledger.disputePack', { date: day });
    for (let i = 0; i < 200 && pending().length === before; i++) await new Promise((ok) => setTimeout(ok, 50));
    expect(pending().length).toBe(before + 1);
    const event = pending().at(-1)!.payload as { id: string; kind: string };
    expect(event.kind).toBe('message');
    // Still nothing signed after a while: the answer is the approval's to give.
    expect((await settle(asked, 1500)).done).toBe(false);
    // What a script could try: a channel that approves (there is none), the approval page without
    // its token, the same statement asked for directly (queued behind, also waiting for a person).
    expect(await a.call('wallet.approve', { id: event.id })).toMatchObject({ ok: false, error: { code: 'CHANNEL_UNKNOWN' } });
    for (const path of [`/approve/${event.id}/decision`, '/approve/x/decision']) {
      const r = await fetch(`${target.host.origin}${path}`, { method: 'POST', headers: { origin: target.host.origin, 'content-type': 'application/json' }, body: JSON.stringify({ id: event.id, decision: 'approve' }) });
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    expect((await settle(asked, 200)).done).toBe(false);
    // The window may only cancel its own request: then it is refused, with no pack and no signature.
    expect(await a.result('wallet.cancelApproval', { id: event.id })).toEqual({ cancelled: true });
    const answer = await asked;
    expect(answer).toMatchObject({ ok: false, error: { code: 'APPROVAL_CANCELLED' } });
    expect(JSON.stringify(answer)).not.toMatch(/0x[0-9a-f]{130}/);
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('approved on the approval page, the pack comes signed by the meter owner and verifies offline', async () => {
    const asked = a.call('ledger.disputePack', { date: day });
    const approvalUrl = await target.host.approvalUrl(30_000);
    const view = (await (await fetch(`${approvalUrl}/request`)).json()) as { id: string; view: { kind: string; text: string | null } };
    // The person reads on the approval page exactly what will be signed: the pack's statement.
    expect(JSON.stringify(view)).toContain('Wattlet dispute pack');
    const decided = await fetch(`${approvalUrl}/decision`, {
      method: 'POST',
      headers: { origin: target.host.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ id: view.id, decision: 'approve' }),
    });
    expect(decided.status).toBe(200);
    const answer = await asked;
    expect(answer.ok).toBe(true);
    const { text, signer } = (answer as { result: { text: string; signer: string } }).result;
    expect(signer.toLowerCase()).toBe(me.address.toLowerCase());
    const report = await verifyDisputePack(JSON.parse(text));
    expect(report).toMatchObject({ ok: true, refusedAt: null });
    expect(report.signer?.toLowerCase()).toBe(me.address.toLowerCase());
  });
});
