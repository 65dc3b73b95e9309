import { Interface, isError } from 'ethers';
import { WattletError, type ErrorFacts } from '../api/errors.js';
import type { MarketErrorCode } from '../api/market.js';
import { ENERGY_MARKET_ABI } from './market-abi.js';

const iface = new Interface(ENERGY_MARKET_ABI);

/** EnergyMarket's custom errors → the contract's MARKET_* codes. */
const BY_REVERT: Record<string, MarketErrorCode> = {
  InvalidSignature: 'MARKET_SIGNATURE_INVALID',
  NotMeterOwner: 'MARKET_NOT_METER_OWNER',
  InvalidWindow: 'MARKET_INVALID_WINDOW',
  OfferExpired: 'MARKET_OFFER_EXPIRED',
  OfferCancelledError: 'MARKET_OFFER_CANCELLED',
  AlreadyPublished: 'MARKET_OFFER_EXISTS',
  UnknownOffer: 'MARKET_OFFER_NOT_FOUND',
  ZeroAmount: 'MARKET_INVALID_AMOUNT',
  OverFill: 'MARKET_OVERFILL',
  WrongPayment: 'MARKET_WRONG_PAYMENT',
  TooManyBuyers: 'MARKET_TOO_MANY_BUYERS',
  NotSeller: 'MARKET_NOT_SELLER',
  AlreadySettled: 'MARKET_ALREADY_SETTLED',
  NothingSold: 'MARKET_NOTHING_SOLD',
  SettlementTooEarly: 'MARKET_SETTLEMENT_TOO_EARLY',
  SettlementClosed: 'MARKET_SETTLEMENT_CLOSED',
  NoAnchor: 'MARKET_NOT_ANCHORED',
  NoRegionAnchor: 'MARKET_NOT_ANCHORED',
  MeterNotInRegion: 'MARKET_PROOF_REJECTED',
  InvalidRegionPath: 'MARKET_PROOF_REJECTED',
  BadInterval: 'MARKET_PROOF_REJECTED',
  InvalidProof: 'MARKET_PROOF_REJECTED',
  IncompleteWindow: 'MARKET_PROOF_REJECTED',
  MerkleProofInvalidMultiproof: 'MARKET_PROOF_REJECTED',
  NothingToReclaim: 'MARKET_NOTHING_TO_RECLAIM',
  ReclaimTooEarly: 'MARKET_RECLAIM_TOO_EARLY',
  SelfTrade: 'MARKET_SELF_TRADE',
  FillTooSmall: 'MARKET_FILL_TOO_SMALL',
  InvalidMinFill: 'MARKET_INVALID_AMOUNT',
  WindowTooFar: 'MARKET_WINDOW_TOO_FAR',
  TokenTransferMismatch: 'MARKET_TOKEN_UNSUPPORTED',
};

function revertData(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const data = (cur as { data?: unknown }).data;
    if (typeof data === 'string' && data.startsWith('0x')) return data;
    if (data && typeof data === 'object') {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === 'string' && inner.startsWith('0x')) return inner;
    }
    cur = (cur as { error?: unknown; info?: unknown }).error ?? (cur as { info?: { error?: unknown } }).info?.error;
  }
  return null;
}

/**
 * Turns what ethers threw into a WattletError a person can read: a contract revert becomes its
 * MARKET_* code with the revert's arguments as facts; a dead endpoint becomes MARKET_RPC_FAILED.
 * WattletErrors (e.g. the wallet's "declined") pass through untouched.
 */
export function toMarketError(e: unknown, action: string): WattletError {
  if (e instanceof WattletError) return e;
  const data = revertData(e);
  if (data) {
    const parsed = (() => {
      try {
        return iface.parseError(data);
      } catch {
        return null;
      }
    })();
    if (parsed) {
      const facts: ErrorFacts = { action };
      parsed.fragment.inputs.forEach((input, i) => {
        const v: unknown = parsed.args[i];
        facts[input.name] = typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : String(v);
      });
      if (typeof facts.day === 'number') facts.date = new Date(facts.day * 86_400_000).toISOString().slice(0, 10);
      const code = BY_REVERT[parsed.name] ?? 'MARKET_TX_FAILED';
      return new WattletError(code, `${action}: the ledger refused (${parsed.name})`, { ...facts, reason: parsed.name }, { cause: e });
    }
  }
  if (isError(e, 'CALL_EXCEPTION')) {
    return new WattletError('MARKET_TX_FAILED', `${action}: the transaction reverted`, { action, reason: e.reason ?? 'unknown' }, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new WattletError('MARKET_RPC_FAILED', `${action}: the ledger endpoint failed: ${msg.slice(0, 200)}`, { action }, { cause: e });
}
