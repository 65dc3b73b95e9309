import { formatUnits, getAddress } from 'ethers';
import type { MarketCallView } from '../api/wallet.js';
import type { ProvenInterval } from './ledger-calls.js';
import type { Household, OfferToken } from './offer-display.js';
import { tokenIsCurrency } from './offer-display.js';
import type { LedgerOfferRecord } from './purchase-display.js';

/**
 * EnergyMarket.OfferRecord as the ledger answers offerRecord(hash), with what a cancel, settle or
 * reclaim is described from beyond what a purchase needs.
 */
export interface OfferRecordReading extends LedgerOfferRecord {
  readonly energyWh: bigint;
  readonly filledWh: bigint;
  readonly provenWh: bigint;
  readonly escrow: bigint;
  readonly settled: boolean;
}

/** One buyer's fill as fillOf(hash, buyer) answers it. */
export interface FillReading {
  readonly energyWh: bigint;
  readonly paid: bigint;
  readonly reclaimed: boolean;
}

/** What a settlement moves, as the contract's settle computes it (EnergyMarket.sol, "Integer rules"). */
export interface SettleFigures {
  readonly deliveredWh: bigint;
  readonly sellerGets: bigint;
  readonly buyersGetBack: bigint;
}

/**
 * The contract's walk over the proof, done beforehand: export is taken interval by interval, in the
 * order the call gives them, from what no earlier settlement used (`used`, usedExportWh before the
 * call), up to what was sold. The seller gets the sum over buyers of floor(paid × delivered / sold);
 * each buyer the rest of what it paid. Exact as long as the chain's state does not change before
 * the call is mined, and only meaningful for a call the chain accepts as it stands (the leaves are
 * then the anchored ones): the caller simulates it first.
 */
export function settleFigures(
  soldWh: bigint,
  intervals: readonly ProvenInterval[],
  used: readonly bigint[],
  paid: readonly bigint[],
): SettleFigures {
  let need = soldWh;
  let proven = 0n;
  intervals.forEach((l, i) => {
    const u = used[i] ?? 0n;
    const free = l.exportWh > u ? l.exportWh - u : 0n;
    const take = free < need ? free : need;
    need -= take;
    proven += take;
  });
  const delivered = proven < soldWh ? proven : soldWh;
  let sellerGets = 0n;
  let buyersGetBack = 0n;
  for (const p of paid) {
    const share = soldWh === 0n ? 0n : (p * delivered) / soldWh;
    sellerGets += share;
    buyersGetBack += p - share;
  }
  return { deliveredWh: delivered, sellerGets, buyersGetBack };
}

/** What a buyer's reclaim returns now, and why; null amount when the ledger would refuse it. */
export function reclaimFigures(
  record: OfferRecordReading,
  fill: FillReading,
  chainNow: bigint,
  graceSeconds: bigint,
): { amount: bigint | null; cause: 'shortfall' | 'unsettled' | null; deliveredWh: bigint | null } {
  if (fill.paid === 0n || fill.reclaimed) return { amount: null, cause: null, deliveredWh: null };
  if (record.settled) {
    const delivered = record.provenWh < record.filledWh ? record.provenWh : record.filledWh;
    const amount = record.filledWh === 0n ? 0n : fill.paid - (fill.paid * delivered) / record.filledWh;
    return amount === 0n ? { amount: null, cause: null, deliveredWh: delivered } : { amount, cause: 'shortfall', deliveredWh: delivered };
  }
  if (chainNow >= record.deliveryEnd + graceSeconds) return { amount: fill.paid, cause: 'unsettled', deliveredWh: null };
  return { amount: null, cause: null, deliveredWh: null };
}

/** What every offer call shows of the offer: its energy, what was sold, window and price. */
export interface OfferCallContext {
  readonly offerHash: string;
  readonly record: OfferRecordReading;
  readonly token: OfferToken;
  readonly household: Household | null;
  readonly chainNow: bigint;
  /** Whether the chain runs the call as things stand (eth_call from the account). */
  readonly accepted: boolean;
}

export type OfferCallFacts =
  | { readonly call: 'cancel' }
  | {
      readonly call: 'settle';
      readonly buyers: number;
      /** Null when the call would not run now: then nothing is said of what it moves. */
      readonly figures: SettleFigures | null;
    }
  | {
      readonly call: 'reclaim';
      readonly fill: FillReading;
      readonly amount: bigint | null;
      readonly cause: 'shortfall' | 'unsettled' | null;
      readonly deliveredWh: bigint | null;
    };

/** A cancel, settle or reclaim in plain terms, amounts exact in the token's decimals. */
export function offerCallView(ctx: OfferCallContext, facts: OfferCallFacts): MarketCallView {
  const { record, token, household } = ctx;
  const decimals = token.info?.decimals ?? 0;
  const amount = (units: bigint) => ({ units: units.toString(), amount: formatUnits(units, decimals) });
  const currency = household?.currency ?? null;
  const base = {
    offerHash: ctx.offerHash,
    seller: getAddress(record.seller),
    energyWh: record.energyWh.toString(),
    soldWh: record.filledWh.toString(),
    deliveryStart: record.deliveryStart.toString(),
    deliveryEnd: record.deliveryEnd.toString(),
    timeZone: household?.timeZone ?? 'UTC',
    token: { address: getAddress(token.address), native: token.native, symbol: token.info?.symbol ?? null, decimals },
    pricePerKWh: amount(record.pricePerKWh),
    householdCurrency: currency,
    inHouseholdCurrency: !token.native && token.info !== null && currency !== null && tokenIsCurrency(token.info.symbol, currency),
    chainNow: ctx.chainNow.toString(),
    accepted: ctx.accepted,
  };
  switch (facts.call) {
    case 'cancel': {
      const unsold = record.energyWh > record.filledWh ? record.energyWh - record.filledWh : 0n;
      return { ...base, call: 'cancel', unsoldWh: unsold.toString() };
    }
    case 'settle':
      return {
        ...base,
        call: 'settle',
        escrow: amount(record.escrow),
        buyers: facts.buyers,
        deliveredWh: facts.figures ? facts.figures.deliveredWh.toString() : null,
        sellerGets: facts.figures ? amount(facts.figures.sellerGets) : null,
        buyersGetBack: facts.figures ? amount(facts.figures.buyersGetBack) : null,
      };
    case 'reclaim':
      return {
        ...base,
        call: 'reclaim',
        boughtWh: facts.fill.energyWh.toString(),
        paid: amount(facts.fill.paid),
        amount: facts.amount === null ? null : amount(facts.amount),
        cause: facts.cause,
        deliveredWh: facts.deliveredWh === null ? null : facts.deliveredWh.toString(),
      };
  }
}
