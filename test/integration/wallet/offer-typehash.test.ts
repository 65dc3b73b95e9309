import { readFileSync } from 'node:fs';
import { Contract, ContractFactory, TypedDataEncoder, id, recoverAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFER_TYPES, offerTuple } from '../../../main/market/offer.js';
import { ENERGY_OFFER_TYPE, ENERGY_OFFER_TYPEHASH } from '../../../main/wallet/offer-type.js';
import { compileLedgerContracts } from '../../fixtures/market/compile-ledger.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { deployLedger, type MarketWorld } from '../../fixtures/market/market-world.js';
import { HARDHAT_MNEMONIC } from './support/hardhat-node.js';
import { startPrivateKeyring, type PrivateKeyring } from './support/private-keyring.js';
import { LEDGER, WalletHarness, tempDataDir } from './support/wallet-harness.js';

// The wallet recognises EnergyLedger offers by a pinned type hash: it must be the deployed
// contract's OFFER_TYPEHASH, and an offer the wallet shows in plain terms must be the very digest
// the contract checks the signature against.
let keyring: PrivateKeyring;
let chain: LocalChain;
let w: MarketWorld;
let token: string;
let data: ReturnType<typeof tempDataDir>;
let h: WalletHarness;

const ABI = [
  'function OFFER_TYPEHASH() view returns (bytes32)',
  'function hashOffer((address seller, bytes32 meterId, uint64 energyWh, uint64 minFillWh, uint256 pricePerKWh, address token, uint64 deliveryStart, uint64 deliveryEnd, uint64 expiry, uint256 nonce) offer) view returns (bytes32)',
];

beforeAll(async () => {
  [keyring, chain] = await Promise.all([startPrivateKeyring({ unlocked: true }), startLocalChain(31337)]);
  w = await deployLedger(chain);
  // A 6-decimal token whose symbol, TWD, is the New Taiwan dollar's ISO code.
  const source = readFileSync(new URL('../../fixtures/market/TestToken.sol', import.meta.url), 'utf8');
  const art = compileLedgerContracts({ 'TestToken.sol': source }).TestToken!;
  const deployed = await new ContractFactory(art.abi as never, art.bytecode, w.admin).deploy();
  await deployed.waitForDeployment();
  token = await deployed.getAddress();
  data = tempDataDir();
  h = new WalletHarness(data.dir, chain.url, { timeZone: 'Asia/Taipei', currency: 'TWD' });
  await h.result('wallet.import', { kind: 'mnemonic', mnemonic: HARDHAT_MNEMONIC });
  await h.result('wallet.unlock', {});
});
afterAll(async () => {
  h?.dispose();
  await chain?.stop();
  keyring?.stop();
  data?.remove();
});

describe('the pinned EnergyLedger offer type hash', () => {
  it('is keccak256 of the canonical type string and equals the deployed contract’s OFFER_TYPEHASH', async () => {
    expect(w.address).toBe(LEDGER);
    expect(id(ENERGY_OFFER_TYPE)).toBe(ENERGY_OFFER_TYPEHASH);
    const onChain = await new Contract(w.address, ABI, w.provider).getFunction('OFFER_TYPEHASH')();
    expect(onChain).toBe(ENERGY_OFFER_TYPEHASH);
    expect(TypedDataEncoder.from({ Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) }).encodeType('Offer')).toBe(ENERGY_OFFER_TYPE);
  });

  it('an offer in the household’s own currency is shown in it, and what is signed is what the contract verifies', async () => {
    const seller = h.wallet.accounts()[0]!.address;
    const offer = {
      seller,
      meterId: '0x' + '0a'.repeat(32),
      energyWh: 1500,
      minFillWh: 100,
      pricePerKWh: 120_000n, // 0.12 TWD per kWh (6 decimals)
      token,
      deliveryStart: 1_767_225_600, // 2026-01-01 00:00 UTC = 08:00 in Taipei
      deliveryEnd: 1_767_229_200,
      expiry: 1_767_225_000,
      nonce: 7n,
    };
    const domain = { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER };
    const message = { ...offer, pricePerKWh: offer.pricePerKWh.toString(), nonce: offer.nonce.toString() };
    const pending = h.call('wallet.requestSignature', { kind: 'typedData', from: seller, domain, types: { Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) }, primaryType: 'Offer', message });
    const prompt = await h.surface.next();
    if (prompt.view.kind !== 'typedData') throw new Error('not typed data');
    expect(prompt.view.typeHash).toBe(ENERGY_OFFER_TYPEHASH);
    expect(prompt.view.offer).toMatchObject({
      energyKWh: '1.5',
      timeZone: 'Asia/Taipei',
      token: { address: token, native: false, symbol: 'TWD', decimals: 6 },
      pricePerKWh: { units: '120000', amount: '0.12' },
      total: { units: '180000', amount: '0.18' },
      householdCurrency: 'TWD',
      inHouseholdCurrency: true,
    });
    prompt.decide('approve');
    const e = await pending;
    if (!e.ok) throw new Error(e.error.code);
    const digest = await new Contract(w.address, ABI, w.provider).getFunction('hashOffer')(offerTuple(offer));
    expect(digest).toBe(TypedDataEncoder.hash(domain, { Offer: OFFER_TYPES.Offer.map((f) => ({ ...f })) }, message));
    expect(recoverAddress(digest, (e.result as { signature: string }).signature)).toBe(seller);
  });
});
