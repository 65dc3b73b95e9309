import { Interface, getAddress, getBigInt } from 'ethers';
import { ENERGY_OFFER_TYPE } from './offer-type.js';

/**
 * The few EnergyLedger and ERC-20 calls the wallet itself builds or describes, pinned here as
 * fragments (not taken from whatever ABI is on disk): the publish transaction is encoded by the
 * wallet from the offer the person approved, and a purchase is described from the ledger's own
 * record of the offer, so neither depends on what a caller claims.
 */
const OFFER_TUPLE = `(${ENERGY_OFFER_TYPE.slice(ENERGY_OFFER_TYPE.indexOf('(') + 1, -1)})`;
const LEAF = '(uint64 intervalStart,uint32 seconds_,uint64 importWh,uint64 exportWh,bytes32 salt)';
const REGION_PATH = '(bytes32 regionId,bytes32 meterDayRoot,uint64 importWh,uint64 exportWh,bytes32 salt,bytes32[] path)';
const DAY_PROOF = `(uint32 day,${LEAF}[] leaves,bytes32[] proof,bool[] proofFlags,${REGION_PATH} region)`;
export const ledgerCalls = new Interface([
  `function publishOffer(${OFFER_TUPLE} offer, bytes signature) returns (bytes32)`,
  'function fill(bytes32 offerHash, uint64 energyWh) payable',
  'function cancel(bytes32 offerHash)',
  `function settle(bytes32 offerHash, ${DAY_PROOF}[] days_)`,
  'function reclaim(bytes32 offerHash) returns (uint256)',
  'function offerRecord(bytes32 offerHash) view returns ((address seller,uint64 energyWh,address token,uint64 filledWh,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint64 provenWh,bytes32 meterId,uint256 pricePerKWh,uint256 escrow,uint256 sellerPaid,bool cancelled,bool settled,uint64 minFillWh))',
  'function buyersOf(bytes32 offerHash) view returns (address[])',
  'function fillOf(bytes32 offerHash, address buyer) view returns ((uint64 energyWh,uint256 paid,bool reclaimed))',
  'function usedExportWh(bytes32 meterId, uint64 intervalStart) view returns (uint64)',
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

/** One interval a settlement proves: its start and the export its (anchored) leaf carries. */
export interface ProvenInterval {
  readonly intervalStart: bigint;
  readonly exportWh: bigint;
}

/** A call on a published offer that the approval page describes in a sentence. */
export type OfferCall =
  | { readonly call: 'cancel'; readonly offerHash: string }
  | { readonly call: 'reclaim'; readonly offerHash: string }
  /** The intervals in the order the call gives them: the contract takes export in that order. */
  | { readonly call: 'settle'; readonly offerHash: string; readonly intervals: readonly ProvenInterval[] };

/** EnergyLedger.cancel / settle / reclaim's arguments, or null when `data` is none of them. */
export function decodeOfferCall(data: string): OfferCall | null {
  let parsed;
  try {
    parsed = ledgerCalls.parseTransaction({ data });
  } catch {
    return null;
  }
  if (!parsed) return null;
  const offerHash = String(parsed.args[0]);
  if (parsed.name === 'cancel' || parsed.name === 'reclaim') return { call: parsed.name, offerHash };
  if (parsed.name !== 'settle') return null;
  const days = parsed.args[1] as ReadonlyArray<{ leaves: ReadonlyArray<{ intervalStart: bigint; exportWh: bigint }> }>;
  const intervals = days.flatMap((d) => d.leaves.map((l) => ({ intervalStart: BigInt(l.intervalStart), exportWh: BigInt(l.exportWh) })));
  return { call: 'settle', offerHash, intervals };
}
