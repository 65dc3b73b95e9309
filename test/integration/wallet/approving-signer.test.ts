import { Contract, HDNodeWallet, Interface, parseEther, verifyTypedData } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { ApprovingSigner } from '../../../main/wallet/approving-signer.js';
import { HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from './support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';
import { LEDGER, WalletHarness, tempDataDir } from './support/wallet-harness.js';

// The signer the ledger and market rooms hold: an ethers Signer with no key, whose every call
// waits on the approval surface.
let keyring: PrivateKeyring;
let chain: HardhatNode;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;
const owner = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0/5");

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startHardhatNode()]);
  data = tempDataDir();
  h = new WalletHarness(data.dir, chain.url);
  await h.wallet.import({ kind: 'privateKey', privateKey: owner.privateKey });
  await h.wallet.unlock();
});
afterAll(() => {
  h?.dispose();
  chain?.stop();
  keyring?.stop();
  data?.remove();
});

describe('ApprovingSigner', () => {
  it('sends a contract call through ethers Contract only after approval', async () => {
    const signer = new ApprovingSigner(h.wallet, owner.address, h.provider);
    const ledger = new Contract(LEDGER, ['function fill(bytes32 offerHash, uint64 energyWh) payable'], signer);
    const sending = ledger.getFunction('fill')('0x' + '01'.repeat(32), 900n, { value: parseEther('0.01') });
    const prompt = await h.surface.next();
    expect(prompt.view).toMatchObject({ kind: 'transaction', from: owner.address, to: LEDGER, value: '0.01' });
    prompt.decide('approve');
    const tx = (await sending) as { hash: string; wait(): Promise<{ status: number } | null> };
    expect((await tx.wait())?.status).toBe(1);
    const mined = await h.provider.getTransaction(tx.hash);
    expect(new Interface(['function fill(bytes32,uint64)']).parseTransaction({ data: mined!.data })?.args[1]).toBe(900n);
  });

  it('signs EIP-712 with bigint values after approval, and a rejection reaches the caller as APPROVAL_REJECTED', async () => {
    const signer = new ApprovingSigner(h.wallet, owner.address, h.provider);
    const domain = { name: 'Wattlet EnergyLedger', version: '1', chainId: 31337n, verifyingContract: LEDGER };
    const types = { Sale: [{ name: 'energyWh', type: 'uint64' }, { name: 'nonce', type: 'uint256' }] };
    const value = { energyWh: 2000n, nonce: 3n };
    const signing = signer.signTypedData(domain, types, value);
    const prompt = await h.surface.next();
    expect(prompt.view.kind === 'typedData' && prompt.view.fields[0]).toMatchObject({ display: '2.0', unit: 'kWh' });
    prompt.decide('approve');
    expect(verifyTypedData(domain, types, value, await signing)).toBe(owner.address);

    const refused = signer.signMessage('no').catch((e: unknown) => e);
    (await h.surface.next()).decide('reject');
    expect(isError(await refused, 'APPROVAL_REJECTED')).toBe(true);
  });
});
