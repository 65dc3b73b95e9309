import { TypedDataEncoder, Wallet, id, verifyTypedData } from 'ethers';
import { describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import type { TypedDataRequest } from '../../../main/api/wallet.js';
import { ENERGY_OFFER_TYPE, ENERGY_OFFER_TYPEHASH } from '../../../main/wallet/offer-type.js';
import { checkTypedData } from '../../../main/wallet/typed-data-check.js';

const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const FROM = '0x' + '11'.repeat(20);
const THIEF = '0x' + 'ee'.repeat(20);
const domain = { name: 'Wattlet EnergyLedger', version: '1', chainId: '31337', verifyingContract: LEDGER };

function req(types: TypedDataRequest['types'], primaryType: string, message: TypedDataRequest['message'], d = domain): TypedDataRequest {
  return { kind: 'typedData', from: FROM, domain: d, types, primaryType, message };
}

/** The refusal's reason, or 'accepted'. */
function verdict(r: TypedDataRequest): string {
  try {
    checkTypedData(r);
    return 'accepted';
  } catch (e) {
    if (!isError(e, 'WALLET_REQUEST_INVALID')) throw e;
    return String(e.facts.reason);
  }
}

const Note = [{ name: 'text', type: 'string' }];
// The attack of issue 14: the page would show the harmless Note, ethers signs the root Transfer.
const substitution = req(
  {
    Note,
    Transfer: [
      { name: 'beneficiary', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'note', type: 'Note' },
    ],
  },
  'Note',
  { beneficiary: THIEF, amount: '1000000000000000000000', note: { text: 'hello' }, text: 'hello' },
);

describe('typed data: sign exactly what is shown', () => {
  it('refuses a primaryType that is not the root the encoder signs (the substitution attack)', () => {
    expect(TypedDataEncoder.getPrimaryType({ Note, Transfer: substitution.types.Transfer! })).toBe('Transfer');
    expect(verdict(substitution)).toBe('primary-type-not-root');
    try {
      checkTypedData(substitution);
    } catch (e) {
      expect(isError(e) && e.facts).toMatchObject({ primaryType: 'Note', root: 'Transfer' });
    }
  });

  it('refuses types the primary type does not reach: an unused struct, or a detached cycle ethers would sign past', () => {
    expect(verdict(req({ Note, Extra: [{ name: 'x', type: 'uint8' }] }, 'Note', { text: 'a' }))).toBe('unreachable-type');
    const cycle = {
      Note,
      A: [{ name: 'b', type: 'B[]' }],
      B: [{ name: 'a', type: 'A' }],
    };
    // ethers alone accepts it (Note is the only unreferenced struct) and signs Note:
    expect(TypedDataEncoder.getPrimaryType(cycle)).toBe('Note');
    expect(verdict(req(cycle, 'Note', { text: 'a' }))).toBe('unreachable-type');
  });

  it('refuses message keys outside the type, at any depth and in arrays of structs', () => {
    const types = {
      Order: [
        { name: 'owner', type: 'address' },
        { name: 'lines', type: 'Line[]' },
        { name: 'grid', type: 'Line[1][]' },
      ],
      Line: [
        { name: 'wh', type: 'uint64' },
        { name: 'note', type: 'string' },
      ],
    };
    const line = { wh: 1, note: 'x' };
    const ok = { owner: FROM, lines: [line, line], grid: [[line], [line]] };
    expect(verdict(req(types, 'Order', ok))).toBe('accepted');
    expect(verdict(req(types, 'Order', { ...ok, beneficiary: THIEF }))).toBe('unknown-key');
    expect(verdict(req(types, 'Order', { ...ok, lines: [line, { ...line, to: THIEF }] }))).toBe('unknown-key');
    expect(verdict(req(types, 'Order', { ...ok, grid: [[line], [{ ...line, extra: 1 }]] }))).toBe('unknown-key');
    try {
      checkTypedData(req(types, 'Order', { ...ok, lines: [line, { ...line, to: THIEF }] }));
    } catch (e) {
      expect(isError(e) && e.facts).toMatchObject({ path: 'lines[1].to', type: 'Line' });
    }
  });

  it('refuses an unknown primary type, a struct given as a non-object, and values that do not encode', () => {
    expect(verdict(req({ Note }, 'Missing', { text: 'a' }))).toBe('unknown-primary-type');
    expect(verdict(req({ Note }, 'address', { text: 'a' }))).toBe('unknown-primary-type');
    expect(verdict(req({ Note }, 'toString', { text: 'a' }))).toBe('unknown-primary-type');
    const nested = { Outer: [{ name: 'n', type: 'Note' }], Note };
    expect(verdict(req(nested, 'Outer', { n: ['text'] }))).toBe('does-not-encode');
    expect(verdict(req({ V: [{ name: 'v', type: 'uint8' }] }, 'V', { v: 256 }))).toBe('does-not-encode');
    expect(verdict(req({ V: [{ name: 'v', type: 'uint8' }] }, 'V', {}))).toBe('does-not-encode');
    expect(verdict(req({ V: [{ name: 'v', type: 'uint8' }, { name: 'v', type: 'uint8' }] }, 'V', { v: 1 }))).toBe('does-not-encode');
  });

  it('accepts an EIP712Domain type only when it lists exactly the domain members given', () => {
    const exact = [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ];
    expect(verdict(req({ EIP712Domain: exact, Note }, 'Note', { text: 'a' }))).toBe('accepted');
    expect(verdict(req({ EIP712Domain: exact.slice(0, 3), Note }, 'Note', { text: 'a' }))).toBe('domain-type-mismatch');
    expect(verdict(req({ EIP712Domain: [...exact, { name: 'salt', type: 'bytes32' }], Note }, 'Note', { text: 'a' }))).toBe('domain-type-mismatch');
  });

  it('answers the type hash the signature commits to; the EnergyLedger offer hash is the pinned constant', async () => {
    expect(id(ENERGY_OFFER_TYPE)).toBe(ENERGY_OFFER_TYPEHASH);
    const Offer = [
      { name: 'seller', type: 'address' },
      { name: 'meterId', type: 'bytes32' },
      { name: 'energyWh', type: 'uint64' },
      { name: 'minFillWh', type: 'uint64' },
      { name: 'pricePerKWh', type: 'uint256' },
      { name: 'token', type: 'address' },
      { name: 'deliveryStart', type: 'uint64' },
      { name: 'deliveryEnd', type: 'uint64' },
      { name: 'expiry', type: 'uint64' },
      { name: 'nonce', type: 'uint256' },
    ];
    const message = {
      seller: FROM, meterId: '0x' + '0a'.repeat(32), energyWh: 1500, minFillWh: 47, pricePerKWh: '120000000000000000',
      token: '0x' + '00'.repeat(20), deliveryStart: 1_767_225_600, deliveryEnd: 1_767_229_200, expiry: 1_767_225_000, nonce: '7',
    };
    const checked = checkTypedData(req({ Offer }, 'Offer', message));
    expect(checked).toMatchObject({ primaryType: 'Offer', typeHash: ENERGY_OFFER_TYPEHASH });
    // A look-alike with one field renamed has another hash: never shown as an offer.
    const renamed = Offer.map((f) => (f.name === 'seller' ? { ...f, name: 'buyer' } : f));
    const { seller, ...rest } = message;
    expect(checkTypedData(req({ Offer: renamed }, 'Offer', { ...rest, buyer: seller })).typeHash).not.toBe(ENERGY_OFFER_TYPEHASH);
    // What is checked is what ethers signs: a signature over the checked types verifies for the request.
    const w = Wallet.createRandom();
    const sig = await w.signTypedData(domain, checked.types, message);
    expect(verifyTypedData(domain, { Offer }, message, sig)).toBe(w.address);
  });
});
