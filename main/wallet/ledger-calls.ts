import { Interface, getAddress, getBigInt } from 'ethers';
import { ENERGY_OFFER_TYPE } from './offer-type.js';

/**
 * The few EnergyLedger and ERC-20 calls the wallet itself builds or describes, pinned here as
 * fragments (not taken from whatever ABI is on disk): the publish transaction is encoded by the
 * wallet from the offer the person approved, and a purchase is described from the ledger's own
 * record of the offer, so neither depends on what a caller claims.
 */
const OFFER_TUPLE = `(${ENERGY_OFFER_TYPE.slice(ENERGY_OFFER_TYPE.indexOf('(') + 1, -1)})`;
export const ledgerCalls = new Interface([
  `function publishOffer(${OFFER_TUPLE} offer, bytes signature) returns (bytes32)`,
  'function fill(bytes32 offerHash, uint64 energyWh) payable',
  'function offerRecord(bytes32 offerHash) view returns ((address seller,uint64 energyWh,address token,uint64 filledWh,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint64 provenWh,bytes32 meterId,uint256 pricePerKWh,uint256 escrow,uint256 sellerPaid,bool cancelled,bool settled,uint64 minFillWh))',
  'function SETTLEMENT_GRACE() view returns (uint64)',
]);
export const erc20Calls = new Interface(['function approve(address spender, uint256 amount) returns (bool)']);

/** The offer's fields in the pinned type's order: the tuple publishOffer takes. */
export function offerTupleOf(message: Record<string, unknown>): unknown[] {
  const fields = ENERGY_OFFER_TYPE.slice(ENERGY_OFFER_TYPE.indexOf('(') + 1, -1).split(',').map((f) => f.split(' ') as [string, string]);
  return fields.map(([type, name]) => (type === 'address' ? getAddress(String(message[name])) : type === 'bytes32' ? String(message[name]) : getBigInt(message[name] as string)));
}

/** `publishOffer(offer, signature)` for exactly this offer and signature. */
export function publishOfferData(message: Record<string, unknown>, signature: string): string {
  return ledgerCalls.encodeFunctionData('publishOffer', [offerTupleOf(message), signature]);
}

/** A fill's arguments, or null when `data` is not EnergyLedger.fill. */
export function decodeFill(data: string): { offerHash: string; energyWh: bigint } | null {
  try {
    const parsed = ledgerCalls.parseTransaction({ data });
    if (parsed?.name !== 'fill') return null;
    return { offerHash: String(parsed.args[0]), energyWh: BigInt(parsed.args[1] as bigint) };
  } catch {
    return null;
  }
}

/** An ERC-20 approve's arguments, or null when `data` is not one. */
export function decodeApprove(data: string): { spender: string; amount: bigint } | null {
  try {
    const parsed = erc20Calls.parseTransaction({ data });
    if (parsed?.name !== 'approve') return null;
    return { spender: getAddress(String(parsed.args[0])), amount: BigInt(parsed.args[1] as bigint) };
  } catch {
    return null;
  }
}
