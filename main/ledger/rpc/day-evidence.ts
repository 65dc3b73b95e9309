import { WattletError } from '../../api/errors.js';
import { meterRegionSlot } from '../verify/anchor-slots.js';
import { daySlots, slotList } from '../verify/evidence-slots.js';
import type { DayEvidence } from '../verify/verify-day.js';
import type { JsonRpcTransport } from './json-rpc.js';

function toQuantity(n: number): string {
  return '0x' + n.toString(16);
}

function asNumber(v: unknown, what: string): number {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]+$/.test(v)) {
    throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `${what} is not a quantity`, { what });
  }
  return Number(BigInt(v));
}

export interface ChainHead {
  readonly chainId: number;
  readonly head: number;
}

export async function readChainHead(rpc: JsonRpcTransport): Promise<ChainHead> {
  const [chainId, head] = await Promise.all([rpc.request('eth_chainId', []), rpc.request('eth_blockNumber', [])]);
  return { chainId: asNumber(chainId, 'eth_chainId'), head: asNumber(head, 'eth_blockNumber') };
}

/**
 * Fetches what the verifier needs for one meter-day at block B (default: head − minDepth, the
 * newest block the user already accepts as final): B's header, the EIP-1186 proof of the
 * meter's own anchor, its region registration and (in a region) the region's anchor
 * (verify/evidence-slots.ts), and, when configured, the second endpoint's hash of B. The region is
 * the one the household's region path names (`regionId`), else the meter's registration as the
 * endpoint reads it at B: that read only chooses which slots to ask for; the verifier proves the
 * registration itself.
 */
export async function fetchDayEvidence(args: {
  rpc: JsonRpcTransport;
  contract: string;
  meterId: string;
  day: number;
  minDepth: number;
  blockNumber?: number;
  chain?: ChainHead;
  second?: { url: string; rpc: JsonRpcTransport };
  /**
   * The region the household's region path names (the proof then covers that region's anchor and
   * the registration only); null: no path, per meter; undefined: no path, read the registration at B.
   */
  regionId?: string | null;
}): Promise<DayEvidence> {
  const chain = args.chain ?? (await readChainHead(args.rpc));
  const b = args.blockNumber ?? Math.max(0, chain.head - args.minDepth);
  // With a path: its region's anchor and the registration. Without: the meter's own anchor, the
  // registration, and the anchor of the region the registration names as read here.
  const pathRegionId = args.regionId ?? null;
  const registered = args.regionId === undefined ? await registeredRegion(args.rpc, args.contract, args.meterId, b) : null;
  const slots = slotList(daySlots(args.meterId, args.day, { pathRegionId, registeredRegionId: registered }));
  const [block, proof] = await Promise.all([
    args.rpc.request('eth_getBlockByNumber', [toQuantity(b), false]),
    // EIP-1186; Hardhat's EDR wants storage keys as full 32-byte hex strings.
    args.rpc.request('eth_getProof', [args.contract, slots, toQuantity(b)]),
  ]);
  if (block === null) throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `The endpoint has no block ${b}`, { block: b });
  let second: DayEvidence['second'];
  if (args.second) {
    const other = await args.second.rpc.request('eth_getBlockByNumber', [toQuantity(b), false]).catch((e: unknown) => {
      if (e instanceof WattletError) return null;
      throw e;
    });
    const hash = other && typeof other === 'object' && 'hash' in other && typeof other.hash === 'string' ? other.hash : null;
    second = { url: args.second.url, blockHash: hash };
  }
  return {
    chainId: chain.chainId,
    contract: args.contract,
    blockNumber: b,
    block,
    proof,
    regionId: registered,
    head: chain.head,
    ...(second ? { second } : {}),
  };
}

/** meterRegions[meter] at B as the endpoint reads it (unproven: it only picks the slots to prove); null for none. */
async function registeredRegion(rpc: JsonRpcTransport, contract: string, meterId: string, b: number): Promise<string | null> {
  const v = await rpc.request('eth_getStorageAt', [contract, meterRegionSlot(meterId), toQuantity(b)]);
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw new WattletError('LEDGER_RPC_INVALID_ANSWER', 'eth_getStorageAt is not a word', { what: 'eth_getStorageAt' });
  return BigInt(v) === 0n ? null : '0x' + BigInt(v).toString(16).padStart(64, '0');
}
