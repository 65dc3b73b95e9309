import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from '../integration/wallet/support/hardhat-node.js';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// Issue 14, point 4: the approval page showed the request's primaryType while ethers signed the
// root struct it derives from `types`. Against the real host process (its own keyring, a local
// chain), a script with only the main window's token asks for signatures on look-alike requests:
// each is refused before any prompt exists (no 'wallet.approvalPending'), and a well-formed
// request, as the control, does reach the approval queue.

const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const me = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/5");
const THIEF = '0x' + 'ee'.repeat(20);
const domain = { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER };

const Note = [{ name: 'text', type: 'string' }];
const Transfer = [
  { name: 'beneficiary', type: 'address' },
  { name: 'amount', type: 'uint256' },
  { name: 'note', type: 'Note' },
];

let chain: HardhatNode;
let target: Target;
let a: Attacker;

beforeAll(async () => {
  chain = await startHardhatNode();
  target = await startTarget({ args: ['--rpc-url', chain.url, '--contract', LEDGER] });
  a = await Attacker.connect(target.host);
  // The attacker's script can import a key of its own and unlock: it is the main window.
  await a.result('wallet.import', { kind: 'privateKey', privateKey: me.privateKey });
  await a.result('wallet.unlock');
});
afterAll(async () => {
  a?.close();
  await target?.stop();
  chain?.stop();
});

function typed(types: Record<string, Array<{ name: string; type: string }>>, primaryType: string, message: unknown, d: object = domain) {
  return { kind: 'typedData', from: me.address, domain: d, types, primaryType, message };
}

const pendingEvents = () => a.events.filter((e) => e.event === 'wallet.approvalPending');

describe('typed data is signed only as shown', () => {
  const cases: Array<[string, ReturnType<typeof typed>, string]> = [
    [
      'a harmless primaryType while types make a bigger root struct (beneficiary, amount)',
      typed({ Note, Transfer }, 'Note', { beneficiary: THIEF, amount: '1000000000000000000000', note: { text: 'hi' } }),
      'primary-type-not-root',
    ],
    ['the same with the struct order swapped', typed({ Transfer, Note }, 'Note', { text: 'hi' }), 'primary-type-not-root'],
    ['an extra, unused struct', typed({ Note, Extra: [{ name: 'x', type: 'bool' }] }, 'Note', { text: 'hi' }), 'unreachable-type'],
    [
      'a detached cycle of structs beside the shown one',
      typed({ Note, A: [{ name: 'b', type: 'B' }], B: [{ name: 'a', type: 'A[]' }] }, 'Note', { text: 'hi' }),
      'unreachable-type',
    ],
    ['an extra key in the message', typed({ Note }, 'Note', { text: 'hi', beneficiary: THIEF }), 'unknown-key'],
    [
      'an extra key in a nested struct',
      typed({ Transfer, Note }, 'Transfer', { beneficiary: THIEF, amount: '1', note: { text: 'hi', amount: '9' } }),
      'unknown-key',
    ],
    [
      'an EIP712Domain type that does not match the domain',
      typed({ EIP712Domain: [{ name: 'name', type: 'string' }], Note }, 'Note', { text: 'hi' }),
      'domain-type-mismatch',
    ],
  ];

  for (const [name, request, reason] of cases) {
    it(`refuses ${name}, with no prompt, and the host still answers`, async () => {
      const before = pendingEvents().length;
      const e = await a.call('wallet.requestSignature', request);
      expect(e).toMatchObject({ ok: false, error: { code: 'WALLET_REQUEST_INVALID', facts: { reason } } });
      await new Promise((ok) => setTimeout(ok, 100));
      expect(pendingEvents().length).toBe(before);
      expect((await a.result<{ approvals: unknown[] }>('wallet.pendingApprovals')).approvals).toHaveLength(0);
      expect(await stillAnswering(target.host)).toBe(true);
    });
  }

  it('a request with hundreds of types or deep nesting is refused without taking the host down', async () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`T${i}`, [{ name: 'x', type: i < 299 ? `T${i + 1}` : 'bool' }]]));
    expect(await a.call('wallet.requestSignature', typed(many, 'T0', { x: {} }))).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
    const deep = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`T${i}`, [{ name: 'x', type: i < 63 ? `T${i + 1}` : 'bool' }]]));
    let message: unknown = { x: true };
    for (let i = 0; i < 63; i++) message = { x: message };
    const e = await a.call('wallet.requestSignature', typed(deep, 'T0', { ...(message as object), extra: 1 }));
    expect(e).toMatchObject({ ok: false, error: { code: 'WALLET_REQUEST_INVALID', facts: { reason: 'unknown-key' } } });
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('the control: a well-formed request reaches the approval queue, showing its full domain only there', async () => {
    const before = pendingEvents().length;
    const pending = a.call('wallet.requestSignature', typed({ Transfer, Note }, 'Transfer', { beneficiary: THIEF, amount: '1', note: { text: 'hi' } }));
    for (let i = 0; i < 100 && pendingEvents().length === before; i++) await new Promise((ok) => setTimeout(ok, 50));
    const event = pendingEvents().at(-1)!;
    expect(pendingEvents().length).toBe(before + 1);
    expect(event.payload).toMatchObject({ kind: 'typedData', from: me.address });
    // The window hears a summary, never the decoded view (domain, fields) or the page's address.
    expect(JSON.stringify(event.payload)).not.toContain('verifyingContract');
    expect(JSON.stringify(event.payload)).not.toMatch(/approve\//);
    const id = (event.payload as { id: string }).id;
    expect(await a.result('wallet.cancelApproval', { id })).toEqual({ cancelled: true });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'APPROVAL_CANCELLED' } });
    expect(await stillAnswering(target.host)).toBe(true);
  });
});
