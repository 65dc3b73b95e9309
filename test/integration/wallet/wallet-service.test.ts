import { HDNodeWallet, Interface, Wallet, parseEther, verifyMessage, verifyTypedData } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walletChannels } from '../../../main/api/wallet.js';
import { OFFER_TYPES } from '../../../main/market/offer.js';
import { startHardhatNode, HARDHAT_MNEMONIC, type HardhatNode } from './support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';
import { LEDGER, WalletHarness, allFileText, tempDataDir } from './support/wallet-harness.js';

let keyring: PrivateKeyring;
let chain: HardhatNode;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;

const account0 = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/0");
const account1 = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/1");
/** Every form the imported secret could leak in. */
const SECRETS = [HARDHAT_MNEMONIC, account0.privateKey.slice(2), account1.privateKey.slice(2)];

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startHardhatNode()]);
  data = tempDataDir();
  h = new WalletHarness(data.dir, chain.url);
});
afterAll(() => {
  h?.dispose();
  chain?.stop();
  keyring?.stop();
  data?.remove();
});

function offer(overrides: Record<string, unknown> = {}, domain: Record<string, unknown> = {}) {
  return {
    kind: 'typedData',
    from: account0.address,
    domain: { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER, ...domain },
    types: { Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) },
    primaryType: 'Offer',
    message: {
      seller: account0.address,
      meterId: '0x' + '0a'.repeat(32),
      energyWh: 1500,
      minFillWh: 47,
      pricePerKWh: '120000000000000000',
      token: '0x0000000000000000000000000000000000000000',
      deliveryStart: 1_767_225_600,
      deliveryEnd: 1_767_229_200,
      expiry: 1_767_225_000,
      nonce: '7',
      ...overrides,
    },
  };
}

describe('wallet service with the real keychain and a Hardhat chain', () => {
  it('imports into the keychain, survives a restart, and unlocks from the keychain', async () => {
    const { keyId, account } = await h.result<{ keyId: string; account: { address: string } }>('wallet.import', {
      kind: 'mnemonic',
      mnemonic: HARDHAT_MNEMONIC.toUpperCase().replace(/ /g, '  '),
      label: 'Home',
    });
    expect(account.address).toBe(account0.address);
    expect(await h.keychain.get(`key:${keyId}`)).toContain(HARDHAT_MNEMONIC);
    expect(h.wallet.status().state).toBe('locked');

    // A second service over the same folder is a restart: it knows the account, not the key.
    h.dispose();
    h = new WalletHarness(data.dir, chain.url);
    expect(h.wallet.status()).toMatchObject({ state: 'locked', accounts: [{ address: account0.address, label: 'Home' }] });
    expect((await h.call('wallet.addAccount', { keyId })).ok).toBe(false); // locked: no key to derive from
    const unlocked = await h.result<{ state: string }>('wallet.unlock', {});
    expect(unlocked.state).toBe('unlocked');
    const added = await h.result<{ address: string; path: string }>('wallet.addAccount', { keyId, label: 'Shed' });
    expect(added).toMatchObject({ address: account1.address, path: "m/44'/60'/0'/0/1" });
    const dup = await h.call('wallet.import', { kind: 'privateKey', privateKey: account0.privateKey });
    expect(dup.ok || dup.error.code).toBe('WALLET_KEY_EXISTS');
  });

  it('shows balances of the connected chain', async () => {
    const r = await h.result<{ chainId: string; balances: Array<{ address: string; wei: string }> }>('wallet.balances', {});
    expect(r.chainId).toBe('31337');
    expect(BigInt(r.balances.find((b) => b.address === account1.address)!.wei)).toBeGreaterThan(parseEther('1000'));
  });

  it('a script calling every wallet channel obtains no signature until the surface approves', async () => {
    const called = new Set<string>();
    const call = (channel: string, req: unknown) => {
      called.add(channel);
      return h.call(channel, req);
    };
    const shownBefore = h.surface.shown.length;
    const nonceBefore = await h.provider.getTransactionCount(account0.address);
    // Three requests at once: the surface shows one, the rest wait in order.
    const typed = call('wallet.requestSignature', offer());
    const message = call('wallet.requestSignature', { kind: 'message', from: account0.address, message: 'hello' });
    const tx = call('wallet.requestSignature', { kind: 'transaction', from: account0.address, to: account1.address, value: '1' });
    await h.surface.next();
    await new Promise((ok) => setTimeout(ok, 300));
    const keyId = h.wallet.status().keys[0]!.id;
    for (const [channel, req] of Object.entries({
      'wallet.status': {},
      'wallet.accounts': {},
      'wallet.balances': {},
      'wallet.pendingApprovals': {},
      'wallet.backupChallenge': { keyId },
      'wallet.confirmBackup': { keyId, words: [1, 2, 3].map((position) => ({ position, word: 'test' })) },
      'wallet.revealWords': { keyId },
      'wallet.rename': { address: account1.address, label: 'Garage' },
      'wallet.cancelApproval': { id: 'not-a-real-id' },
      'wallet.revealApproval': {},
      'wallet.create': { label: 'Probe' },
      'wallet.import': { kind: 'privateKey', privateKey: '0x' + '33'.repeat(32) },
      'wallet.addAccount': { keyId },
      'wallet.unlock': {},
    })) {
      await call(channel, req);
    }
    const pending = await h.result<{ approvals: Array<{ state: string }> }>('wallet.pendingApprovals', {});
    expect(pending.approvals.map((a) => a.state)).toEqual(['presented', 'queued', 'queued']);
    expect(h.surface.openCount).toBe(1);
    // Forgetting a derived account is immediate; deleting a key (its last account) waits for a person too.
    const accounts = h.wallet.status().accounts;
    const derived = accounts.find((a) => a.path === "m/44'/60'/0'/0/2")!;
    const probe = accounts.find((a) => a.label === 'Probe')!;
    expect((await call('wallet.remove', { address: derived.address })).ok).toBe(true);
    const deleteKey = call('wallet.remove', { address: probe.address });
    expect(await Promise.race([typed, message, tx, deleteKey, new Promise((ok) => setTimeout(() => ok('pending'), 200))])).toBe('pending');
    const window = h.toWindow.join('\n');
    expect(window).not.toMatch(/"signature"/);
    expect(window).not.toMatch(/0x[0-9a-f]{130}/i);
    expect(h.surface.shown.length - shownBefore).toBe(1);

    // The person rejects each in turn: every request fails, nothing is signed, sent or deleted.
    for (let i = 0; i < 4; i++) (await h.surface.next()).decide('reject');
    for (const e of await Promise.all([typed, message, tx, deleteKey])) expect(e.ok || e.error.code).toBe('APPROVAL_REJECTED');
    expect(await h.keychain.get(`key:${probe.keyId}`)).not.toBeNull();
    await call('wallet.lock', {});
    expect(await h.provider.getTransactionCount(account0.address)).toBe(nonceBefore);
    expect(h.toWindow.join('\n')).not.toMatch(/"signature"/);
    expect(h.surface.maxOpen).toBe(1);
    expect(Object.keys(walletChannels).filter((c) => !called.has(c) && c !== 'wallet.requestSignature')).toEqual([]);
  });

  it('approved typed data shows the offer in kWh and per-kWh prices and signs for the EnergyLedger', async () => {
    await h.result('wallet.unlock', {});
    const pending = h.call('wallet.requestSignature', offer());
    const prompt = await h.surface.next();
    expect(prompt.view.kind).toBe('typedData');
    if (prompt.view.kind !== 'typedData') return;
    expect(prompt.view.domain).toEqual({ name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER, salt: null });
    expect(prompt.view.primaryType).toBe('Offer');
    const field = (n: string) => prompt.view.kind === 'typedData' && prompt.view.fields.find((f) => f.name === n);
    expect(prompt.view.fields.map((f) => f.name)).toEqual(OFFER_TYPES.Offer.map((f) => f.name));
    expect(field('energyWh')).toMatchObject({ display: '1.5', unit: 'kWh' });
    expect(field('pricePerKWh')).toMatchObject({ display: '0.12', unit: 'ETH/kWh' });
    expect(field('deliveryStart')).toMatchObject({ display: '2026-01-01T00:00:00Z', unit: 'UTC' });
    // Recognised by its pinned type hash: in plain terms, in the household's zone; no rate from ETH to EUR is made up.
    expect(prompt.view.offer).toMatchObject({
      energyKWh: '1.5',
      timeZone: 'Europe/Amsterdam',
      deliveryStart: '1767225600',
      token: { native: true, symbol: 'ETH', decimals: 18 },
      pricePerKWh: { amount: '0.12' },
      total: { units: '180000000000000000', amount: '0.18' },
      householdCurrency: 'EUR',
      inHouseholdCurrency: false,
    });
    prompt.decide('approve');
    const e = await pending;
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    const { signature } = e.result as { signature: string };
    const req = offer();
    expect(verifyTypedData(req.domain, req.types, req.message, signature)).toBe(account0.address);
  });

  it('approved message signs the shown bytes', async () => {
    const pending = h.call('wallet.requestSignature', { kind: 'message', from: account1.address, message: 'meter 42 is mine' });
    const prompt = await h.surface.next();
    expect(prompt.view).toMatchObject({ kind: 'message', text: 'meter 42 is mine' });
    prompt.decide('approve');
    const e = await pending;
    expect(e.ok && verifyMessage('meter 42 is mine', (e.result as { signature: string }).signature)).toBe(account1.address);
  });

  it('an approved transaction shows the decoded EnergyLedger call, value and fee, and is mined', async () => {
    const ledger = new Interface(['function fill(bytes32 offerHash, uint64 energyWh) payable']);
    const data = ledger.encodeFunctionData('fill', ['0x' + 'cd'.repeat(32), 2500n]);
    const before = await h.provider.getBalance(LEDGER);
    const pending = h.call('wallet.requestSignature', {
      kind: 'transaction', from: account0.address, to: LEDGER, value: parseEther('0.25').toString(), data, chainId: '31337',
    });
    const prompt = await h.surface.next();
    expect(prompt.view).toMatchObject({ kind: 'transaction', chainId: '31337', from: account0.address, to: LEDGER, value: '0.25', nativeSymbol: 'ETH' });
    if (prompt.view.kind !== 'transaction') return;
    expect(BigInt(prompt.view.maxFeeWei)).toBeGreaterThan(0n);
    expect(prompt.view.call).toMatchObject({ contract: 'EnergyLedger', name: 'fill' });
    expect(prompt.view.call?.args.find((a) => a.name === 'energyWh')).toMatchObject({ display: '2.5', unit: 'kWh' });
    prompt.decide('approve');
    const e = await pending;
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    const receipt = await h.provider.waitForTransaction((e.result as { hash: string }).hash);
    expect(receipt?.status).toBe(1);
    expect((await h.provider.getBalance(LEDGER)) - before).toBe(parseEther('0.25'));
  });

  it('refuses another chain id and a foreign verifying contract before anyone is asked', async () => {
    const shown = h.surface.shown.length;
    const cases = [
      [offer({}, { chainId: '1' }), 'WALLET_CHAIN_MISMATCH'],
      [offer({}, { chainId: undefined }), 'WALLET_CHAIN_MISMATCH'],
      [offer({}, { verifyingContract: Wallet.createRandom().address }), 'WALLET_FOREIGN_CONTRACT'],
      [{ kind: 'transaction', from: account0.address, to: account1.address, value: '1', chainId: '1' }, 'WALLET_CHAIN_MISMATCH'],
    ] as const;
    for (const [req, code] of cases) {
      const e = await h.call('wallet.requestSignature', req);
      expect(e.ok || e.error.code).toBe(code);
    }
    expect(h.surface.shown.length).toBe(shown);
  });

  it('refuses typed data that would sign another struct than the one shown; signs a nested struct exactly as shown', async () => {
    await h.result('wallet.unlock', {});
    const shown = h.surface.shown.length;
    const Note = [{ name: 'text', type: 'string' }];
    const Payment = [
      { name: 'beneficiary', type: 'address' },
      { name: 'amountWei', type: 'uint256' },
      { name: 'notes', type: 'Note[]' },
    ];
    const base = { kind: 'typedData', from: account0.address, domain: { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER } };
    const refusals = [
      { types: { Note, Payment }, primaryType: 'Note', message: { text: 'hi', beneficiary: account1.address, amountWei: '10', notes: [] } },
      { types: { Note, Payment, Spare: [{ name: 'x', type: 'bool' }] }, primaryType: 'Payment', message: { beneficiary: account1.address, amountWei: '10', notes: [] } },
      { types: { Note, Payment }, primaryType: 'Payment', message: { beneficiary: account1.address, amountWei: '10', notes: [{ text: 'a', to: account1.address }] } },
    ];
    for (const r of refusals) {
      const e = await h.call('wallet.requestSignature', { ...base, ...r });
      expect(e.ok || e.error.code).toBe('WALLET_REQUEST_INVALID');
    }
    expect(h.surface.shown.length).toBe(shown);

    const good = { ...base, types: { Payment, Note }, primaryType: 'Payment', message: { beneficiary: account1.address, amountWei: '10', notes: [{ text: 'a' }, { text: 'b' }] } };
    const pending = h.call('wallet.requestSignature', good);
    const prompt = await h.surface.next();
    if (prompt.view.kind !== 'typedData') throw new Error('not typed data');
    expect(prompt.view.offer).toBeNull();
    expect(prompt.view.fields.map((f) => [f.name, f.display])).toEqual([
      ['beneficiary', account1.address],
      ['amountWei', '0.00000000000000001'],
      ['notes[0].text', 'a'],
      ['notes[1].text', 'b'],
    ]);
    prompt.decide('approve');
    const e = await pending;
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(verifyTypedData(good.domain, good.types, good.message, (e.result as { signature: string }).signature)).toBe(account0.address);
  });

  it('refuses every kind of request while locked', async () => {
    await h.result('wallet.lock', {});
    for (const req of [
      offer(),
      { kind: 'message', from: account0.address, message: 'x' },
      { kind: 'transaction', from: account0.address, to: account1.address },
    ]) {
      const e = await h.call('wallet.requestSignature', req);
      expect(e.ok || e.error.code).toBe('WALLET_LOCKED');
    }
  });

  it('create answers the words once, confirms the backup by three positions, and keeps them only in the keychain', async () => {
    const before = h.toWindow.length;
    const created = await h.result<{ keyId: string; mnemonic: string; positions: number[]; account: { address: string } }>(
      'wallet.create',
      { label: 'New' },
    );
    const words = created.mnemonic.split(' ');
    expect(words).toHaveLength(12);
    expect(await h.keychain.get(`key:${created.keyId}`)).toContain(created.mnemonic);
    expect(h.wallet.status().keys.find((k) => k.id === created.keyId)?.backupConfirmed).toBe(false);
    // Unconfirmed backup: the key may not sign yet.
    await h.result('wallet.unlock', {});
    const early = await h.call('wallet.requestSignature', { kind: 'message', from: created.account.address, message: 'x' });
    expect(early.ok || early.error.code).toBe('WALLET_BACKUP_UNCONFIRMED');

    const wrong = await h.call('wallet.confirmBackup', {
      keyId: created.keyId,
      words: created.positions.map((p, i) => ({ position: p, word: i === 1 ? (words[p - 1] === 'zoo' ? 'abandon' : 'zoo') : words[p - 1] })),
    });
    expect(wrong.ok || wrong.error).toMatchObject({ code: 'WALLET_BACKUP_MISMATCH', facts: { keyId: created.keyId, triesLeft: 2 } });
    expect(JSON.stringify(wrong)).not.toMatch(/position/i);
    // The right words at once are refused too: a wrong try is followed by a wait.
    const tooSoon = await h.call('wallet.confirmBackup', {
      keyId: created.keyId,
      words: created.positions.map((p) => ({ position: p, word: words[p - 1] })),
    });
    expect(tooSoon.ok || tooSoon.error.code).toBe('WALLET_BACKUP_TOO_SOON');
    await h.result('wallet.lock', {}); // the words are read from the keychain itself when locked
    const challenge = await h.result<{ positions: number[]; triesLeft: number }>('wallet.backupChallenge', { keyId: created.keyId });
    expect(challenge).toMatchObject({ positions: created.positions, triesLeft: 2 });

    // Starting over: the words are shown on the approval surface, read from the keychain; the window gets positions only.
    const revealing = h.call('wallet.revealWords', { keyId: created.keyId });
    const shownWords = await h.surface.next();
    expect(shownWords.view).toMatchObject({ kind: 'revealWords', keyId: created.keyId, words });
    shownWords.decide('approve');
    const restarted = await revealing;
    expect(restarted.ok && restarted.result).toMatchObject({ keyId: created.keyId, triesLeft: 3, retryAt: null, lockedOut: false });
    const positions = (restarted.ok ? (restarted.result as { positions: number[] }) : { positions: [] }).positions;
    const ok = await h.result<{ backupConfirmed: boolean }>('wallet.confirmBackup', {
      keyId: created.keyId,
      words: positions.map((p) => ({ position: p, word: ` ${words[p - 1]!.toUpperCase()} ` })),
    });
    expect(ok.backupConfirmed).toBe(true);
    const after = await h.call('wallet.backupChallenge', { keyId: created.keyId });
    expect(after.ok || after.error.code).toBe('WALLET_BACKUP_CONFIRMED');

    const sent = h.toWindow.slice(before);
    expect(sent.filter((m) => m.includes(created.mnemonic))).toHaveLength(1); // the create answer, once
    expect(allFileText(data.dir)).not.toContain(created.mnemonic);
    expect(h.logs.join('\n')).not.toContain(created.mnemonic);

    const removing = h.call('wallet.remove', { address: created.account.address });
    const prompt = await h.surface.next();
    expect(prompt.view).toMatchObject({ kind: 'removeKey', keyId: created.keyId, backupConfirmed: true, addresses: [created.account.address] });
    prompt.decide('approve');
    const removed = await removing;
    expect(removed.ok && (removed.result as { keyRemoved: boolean }).keyRemoved).toBe(true);
    expect(await h.keychain.get(`key:${created.keyId}`)).toBeNull();
  });

  it('the imported secret never appears in the data folder, the logs, or anything sent to the window', () => {
    const places = { files: allFileText(data.dir), logs: h.logs.join('\n'), window: h.toWindow.join('\n') };
    for (const [where, text] of Object.entries(places)) {
      for (const s of SECRETS) expect(text.toLowerCase().includes(s.toLowerCase()), `${where} holds a secret`).toBe(false);
    }
    expect(places.files).toContain(account0.address); // the file does hold what it should
  });
});
