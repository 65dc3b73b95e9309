import { formatUnits, getAddress, hexlify, randomBytes } from 'ethers';
import { WattletError, isError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import type { BookEntry, MyOffer, MyPurchase, ProofStatus, RatesJson, SellerRecord, SignedOfferJson, TokenJson } from '../api/market.js';
import type { ApprovalCheck } from '../api/wallet.js';
import { tariffToTokenUnits, windowRates } from './tariff-rates.js';
import type { AnchorCheck } from './anchor-check.js';
import type { ExportHistory } from './export-history.js';
import type { HouseholdTariff } from './household-tariff.js';
import { pickAccount, type MarketAccount, type MarketAccounts } from './market-accounts.js';
import type { MarketChain, OfferEvent, OfferRecord, PublishedOffer } from './market-chain.js';
import type { MarketCall, MarketSigner } from './market-signer.js';
import { MarketTokens, type NativeCoin } from './market-token.js';
import { MAX_LEAD_SECONDS, NATIVE_TOKEN, SETTLEMENT_GRACE_SECONDS, hashOffer, smallestMinFill, type Offer } from './offer.js';
import { comparableExport, offerChecks } from './offer-checks.js';
import { canCancel, canSettle, chainProofStatus, offerStateOf, refundOf } from './offer-states.js';
import { costOf, deliveredWh, suggestPrice } from './pricing.js';
import { buildSettlementProofs, dayProofTuples, windowDays, type DayIntervals, type DayRegionPath } from './settlement-proof.js';
import { checkWindow, estimateSurplus, overlapWh, type SurplusEstimate } from './surplus.js';
import { buyerTimeline, sellerTimeline, type SaleFacts } from './timeline.js';

export interface MarketServiceDeps {
  readonly chain: MarketChain;
  /** The wallet's accounts, each signing only after the person approves (main/wallet). */
  readonly accounts: MarketAccounts;
  /** The household's meter id (bytes32) as registered on the ledger; null when none is set up. */
  readonly meterId: string | null;
  /** All of a day's anchored intervals with their salts, as the operator handed them to the household. */
  readonly intervals: DayIntervals;
  /** The household's path in its region's tree for a day (a meter anchored per meter has none). */
  readonly regionPaths?: DayRegionPath;
  readonly exportHistory: ExportHistory;
  readonly events?: Pick<EventBus, 'emit'>;
  /** The ledger's proof of an anchor (ledgerAnchorCheck); without it anchors are read, not proven. */
  readonly anchorCheck?: AnchorCheck;
  /** The household's tariff: prices are shown next to its own import and feed-in rates. */
  readonly tariff?: HouseholdTariff;
  /** Tokens offered for pricing besides those on the ledger (the demo's euro and yuan). */
  readonly knownTokens?: () => readonly string[];
  /** The chain's coin (default ETH, 18 decimals). */
  readonly native?: NativeCoin;
  /** The wall clock in ms (the tier a household is in now); default Date.now. */
  readonly clock?: () => number;
}

export interface CreateOfferInput {
  readonly energyWh: number;
  /** Default: the least the contract allows (ceil(energyWh / MAX_BUYERS)). */
  readonly minFillWh?: number;
  readonly pricePerKWh: bigint;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly expiry?: number;
  readonly token?: string;
  /** The wallet account that sells (default: the meter's owner). */
  readonly account?: string;
}

export function offerJson(o: Offer): SignedOfferJson {
  return { ...o, pricePerKWh: o.pricePerKWh.toString(), nonce: o.nonce.toString() };
}

/** The most gas a fill after its token allowance may use (it cannot be estimated before the allowance is mined). */
const FILL_GAS_LIMIT = 350_000n;
/** Days of the operator's anchored export an offer is compared with. */
const COMPARABLE_DAYS = 7;
/** JSON numbers of the contract's schemas: an offer outside them (a window near 2^64) is left out of the book. */
const MAX_JSON_SECONDS = 2 ** 40;

/**
 * Peer sales for one household: the offer book, its accounts' offers and purchases, and the
 * transactions that move them (publish, fill, cancel, settle, reclaim), each with one approval.
 * Holds no state of its own: the ledger is the record, read afresh on every call.
 */
export class MarketService {
  readonly #tokens: MarketTokens;

  constructor(private readonly deps: MarketServiceDeps) {
    this.#tokens = new MarketTokens(deps.chain, deps.native ?? { symbol: 'ETH', decimals: 18 }, () => this.#tariff()?.currency ?? null);
  }

  // ── accounts, tokens, prices ──

  async accounts(): Promise<{ accounts: Array<MarketAccount & { meterOwner: boolean; nativeBalance: string }>; meterId: string | null; householdCurrency: string | null; timeZone: string }> {
    const owner = await this.#meterOwner();
    const accounts = await Promise.all(
      this.deps.accounts.list().map(async (a) => ({
        ...a,
        meterOwner: owner !== null && owner.toLowerCase() === a.address.toLowerCase(),
        nativeBalance: (await this.deps.chain.balanceOf(NATIVE_TOKEN, a.address)).toString(),
      })),
    );
    return { accounts, meterId: this.deps.meterId, householdCurrency: this.#tariff()?.currency ?? null, timeZone: this.deps.tariff?.timeZone() ?? 'UTC' };
  }

  /** The tokens an offer can be priced in, the household's currency first, each with the account's balance. */
  async tokens(account?: string): Promise<{ tokens: Array<TokenJson & { balance: string | null }>; householdCurrency: string | null }> {
    const who = this.deps.accounts.list().length ? pickAccount(this.deps.accounts, account).address : null;
    const addresses = new Set<string>([...(this.deps.knownTokens?.() ?? []).map((a) => getAddress(a))]);
    for (const p of await this.deps.chain.publishedOffers()) addresses.add(getAddress(p.offer.token));
    addresses.delete(NATIVE_TOKEN);
    const infos: TokenJson[] = [];
    for (const a of addresses) {
      try {
        infos.push(await this.#tokens.info(a));
      } catch (e) {
        if (!isError(e, 'MARKET_TOKEN_UNSUPPORTED')) throw e; // an unreadable token on the ledger is not offered
      }
    }
    const currency = this.#tariff()?.currency ?? null;
    infos.sort((x, y) => Number(y.currency === currency && currency !== null) - Number(x.currency === currency && currency !== null) || x.symbol.localeCompare(y.symbol));
    infos.push(await this.#tokens.info(NATIVE_TOKEN));
    const tokens = await Promise.all(infos.map(async (t) => ({ ...t, balance: who ? (await this.deps.chain.balanceOf(t.address, who)).toString() : null })));
    return { tokens, householdCurrency: currency };
  }

  async token(address: string, account?: string): Promise<TokenJson & { balance: string | null }> {
    const info = await this.#tokens.info(address);
    const who = this.deps.accounts.list().length ? pickAccount(this.deps.accounts, account).address : null;
    return { ...info, balance: who ? (await this.deps.chain.balanceOf(info.address, who)).toString() : null };
  }

  /**
   * The household's import and feed-in rates for a window, in the token's smallest unit when the
   * token is the tariff's currency, and a price between them: above what the grid pays the seller,
   * below what the neighbour pays the grid (for a tiered tariff, in the tier the household is in now).
   */
  async prices(deliveryStart: number, deliveryEnd: number, tokenAddress: string) {
    checkWindow(deliveryStart, deliveryEnd);
    const token = await this.#tokens.info(tokenAddress);
    const rates = this.#rates(deliveryStart, deliveryEnd, token);
    if (!rates) return { token, rates: null, suggestedPerKWh: null, reason: 'no-tariff' as const };
    if (rates.importUnits === null || rates.feedInUnits === null) return { token, rates, suggestedPerKWh: null, reason: 'not-currency' as const };
    const minorStep = tariffToTokenUnits(1000, rates.minorUnitDigits, token.decimals);
    const s = suggestPrice(BigInt(rates.feedInUnits), BigInt(rates.importUnits), minorStep);
    return { token, rates, suggestedPerKWh: s.suggestedPerKWh.toString(), reason: null };
  }

  // ── the book ──

  async offers(includeClosed = false, account?: string): Promise<{ offers: BookEntry[]; now: number }> {
    const { chain } = this.deps;
    const [now, published] = await Promise.all([chain.now(), chain.publishedOffers()]);
    const viewer = this.deps.accounts.list().length ? pickAccount(this.deps.accounts, account).address.toLowerCase() : null;
    const mine = new Set(this.deps.accounts.list().map((a) => a.address.toLowerCase()));
    const records = new Map<string, Promise<SellerRecord>>();
    const out: BookEntry[] = [];
    for (const p of published) {
      if (!fitsJson(p.offer)) continue;
      const r = await chain.record(p.offerHash);
      const state = offerStateOf(r, now);
      if (!includeClosed && state !== 'open') continue;
      let token: TokenJson;
      try {
        token = await this.#tokens.info(p.offer.token);
      } catch (e) {
        if (isError(e, 'MARKET_TOKEN_UNSUPPORTED')) continue; // nobody can be shown, or pay, an unreadable token
        throw e;
      }
      const key = p.offer.meterId;
      if (!records.has(key)) records.set(key, this.sellerRecord(p.offer.seller, p.offer.meterId, now));
      const seller = p.offer.seller.toLowerCase();
      out.push({
        offerHash: p.offerHash,
        offer: offerJson(p.offer),
        filledWh: r.filledWh,
        remainingWh: r.cancelled ? 0 : r.energyWh - r.filledWh,
        state,
        sellerRecord: await (records.get(key) as Promise<SellerRecord>),
        token,
        own: seller === viewer ? 'self' : mine.has(seller) ? 'wallet' : null,
        rates: this.#rates(p.offer.deliveryStart, p.offer.deliveryEnd, token),
        windowOk: windowWithinLead(p.offer, now),
      });
    }
    return { offers: out, now };
  }

  /** A seller's track record: the operator's anchored export against what its settled sales proved. */
  async sellerRecord(seller: string, meterId: string, now: number): Promise<SellerRecord> {
    const { chain } = this.deps;
    const rec: SellerRecord = { anchoredExportWh: await chain.anchoredExportWh(meterId), settledSoldWh: 0, deliveredWh: 0, settledSales: 0, shortSales: 0, lapsedSales: 0 };
    for (const p of await chain.publishedOffers(seller)) {
      const r = await chain.record(p.offerHash);
      if (r.settled) {
        const d = deliveredWh(r.provenWh, r.filledWh);
        rec.settledSales++;
        rec.settledSoldWh += r.filledWh;
        rec.deliveredWh += d;
        if (d < r.filledWh) rec.shortSales++;
      } else if (offerStateOf(r, now) === 'lapsed') {
        rec.lapsedSales++;
      }
    }
    return rec;
  }

  /** Export expected in a window from the meter's history, less what the meter's offers already sell there. */
  async surplus(deliveryStart: number, deliveryEnd: number, lookbackDays: number): Promise<SurplusEstimate> {
    const { chain } = this.deps;
    checkWindow(deliveryStart, deliveryEnd);
    const now = await chain.now();
    let offered = 0;
    const meter = this.deps.meterId?.toLowerCase();
    // The meter's offers, whichever account signed them: the same panels cannot back two offers.
    for (const p of meter ? (await chain.publishedOffers()).filter((x) => x.offer.meterId.toLowerCase() === meter) : []) {
      const r = await chain.record(p.offerHash);
      const state = offerStateOf(r, now);
      // Open offers may still sell all they list; closed ones only what was bought.
      const wh = state === 'open' ? r.energyWh : r.filledWh;
      if (state === 'settled' || state === 'lapsed') continue;
      offered += overlapWh({ ...p.offer, energyWh: wh }, deliveryStart, deliveryEnd);
    }
    return estimateSurplus(this.deps.exportHistory, { deliveryStart, deliveryEnd }, now, lookbackDays, offered);
  }

  // ── writes, one approval each ──

  /**
   * Builds the offer, checks it as a careful signer would (price against the household's rates,
   * the operator's anchoring pace, the anchored export of comparable days), and has the wallet
   * sign and publish it with one approval that shows those checks.
   */
  async createOffer(input: CreateOfferInput): Promise<{ offerHash: string; txHash: string; offer: Offer; signature: string }> {
    const { chain } = this.deps;
    const meterId = this.#meterId();
    checkWindow(input.deliveryStart, input.deliveryEnd);
    const expiry = input.expiry ?? input.deliveryStart;
    if (expiry > input.deliveryEnd) {
      throw new WattletError('MARKET_INVALID_WINDOW', 'The offer must expire before its window ends', { expiry, deliveryEnd: input.deliveryEnd });
    }
    if (input.pricePerKWh <= 0n) throw new WattletError('MARKET_INVALID_AMOUNT', 'The price must be above zero', { pricePerKWh: '0' });
    const minFillWh = input.minFillWh ?? smallestMinFill(input.energyWh);
    if (minFillWh < smallestMinFill(input.energyWh) || minFillWh > input.energyWh) {
      // Below ceil(energyWh / MAX_BUYERS), strangers buying a little each could fill the buyer list.
      throw new WattletError('MARKET_INVALID_AMOUNT', 'The minimum purchase must be between energy / 32 and the energy', { minFillWh, energyWh: input.energyWh, least: smallestMinFill(input.energyWh) });
    }
    const now = await chain.now();
    if (expiry <= now) throw new WattletError('MARKET_OFFER_EXPIRED', 'The offer would already be expired', { expiry, now });
    if (input.deliveryStart > now + MAX_LEAD_SECONDS) {
      throw new WattletError('MARKET_WINDOW_TOO_FAR', 'The window starts too far ahead', { deliveryStart: input.deliveryStart, latest: now + MAX_LEAD_SECONDS });
    }
    const owner = await chain.meterOwner(meterId);
    const account = pickAccount(this.deps.accounts, input.account, owner);
    if (owner.toLowerCase() !== account.address.toLowerCase()) {
      throw new WattletError('MARKET_NOT_METER_OWNER', 'The ledger does not list this account as the meter owner', { meterId, seller: account.address, owner });
    }
    const token = await this.#tokens.info(input.token ?? NATIVE_TOKEN);
    const offer: Offer = {
      seller: account.address, meterId, energyWh: input.energyWh, minFillWh, pricePerKWh: input.pricePerKWh, token: token.address,
      deliveryStart: input.deliveryStart, deliveryEnd: input.deliveryEnd, expiry,
      // Random, not a counter: two identical offers stay distinct without any local state.
      nonce: BigInt(hexlify(randomBytes(16))),
    };
    const checks = offerChecks({
      energyWh: offer.energyWh, pricePerKWh: offer.pricePerKWh, deliveryStart: offer.deliveryStart, deliveryEnd: offer.deliveryEnd, token,
      rates: this.#rates(offer.deliveryStart, offer.deliveryEnd, token),
      lastAnchoredDay: await chain.lastAnchoredDay(meterId),
      now,
      comparable: await comparableExport(this.deps.intervals, meterId, offer, now, COMPARABLE_DAYS),
    });
    const { receipt, signature } = await chain.publish(this.deps.accounts.signer(account.address), offer, checks);
    const ev = chain.eventIn(receipt, 'OfferPublished');
    const offerHash = String(ev?.offerHash ?? hashOffer(await chain.domain(), offer));
    this.deps.events?.emit('market.changed', { offerHash, kind: 'published' });
    return { offerHash, txHash: receipt.hash, offer, signature };
  }

  /**
   * Buys energy of an offer with one approval. Refused before anyone is asked: one's own offer
   * (the contract refuses it too), a window further ahead than escrow should be locked for, more
   * than is left, and a balance that cannot pay. A token offer's allowance (exactly this fill's
   * cost) and the fill are approved together and sent in order.
   */
  async fill(offerHash: string, energyWh: number, account?: string): Promise<{ offerHash: string; txHash: string; paid: bigint }> {
    const { chain } = this.deps;
    const r = await this.#existing(offerHash);
    const buyer = pickAccount(this.deps.accounts, account);
    if (r.seller.toLowerCase() === buyer.address.toLowerCase()) {
      throw new WattletError('MARKET_SELF_TRADE', 'An account cannot buy its own offer', { offerHash, account: buyer.address });
    }
    // The contract's own checks, in its order, before anyone is asked (a token purchase's fill cannot
    // be simulated before its allowance is mined).
    if (r.cancelled) throw new WattletError('MARKET_OFFER_CANCELLED', 'The seller withdrew this offer', { offerHash });
    if ((await chain.now()) >= r.expiry) throw new WattletError('MARKET_OFFER_EXPIRED', 'The offer has expired', { offerHash });
    const left = r.energyWh - r.filledWh;
    if (energyWh > left) throw new WattletError('MARKET_OVERFILL', 'More than is left of the offer', { requestedWh: energyWh, availableWh: left });
    if (energyWh < r.minFillWh && energyWh !== left) {
      throw new WattletError('MARKET_FILL_TOO_SMALL', 'Below the seller\'s minimum purchase', { minFillWh: r.minFillWh, requestedWh: energyWh });
    }
    const now = await chain.now();
    if (!windowWithinLead(r, now)) {
      throw new WattletError('MARKET_WINDOW_TOO_FAR', 'The window starts too far ahead: escrow would be locked for long', { deliveryStart: r.deliveryStart, latest: now + MAX_LEAD_SECONDS });
    }
    const value = costOf(energyWh, r.pricePerKWh);
    const balance = await chain.balanceOf(r.token, buyer.address);
    if (balance < value) {
      const token = await this.#tokens.info(r.token).catch(() => unreadable(r.token));
      throw new WattletError('MARKET_INSUFFICIENT_FUNDS', 'The account holds less than this purchase costs', { needed: value.toString(), balance: balance.toString(), symbol: token.symbol });
    }
    const signer = this.deps.accounts.signer(buyer.address);
    const token = await this.#tokens.info(r.token);
    const rates = this.#rates(r.deliveryStart, r.deliveryEnd, token);
    // Paying a neighbour more than the grid asks for the same hours is worth a second look.
    const checks: ApprovalCheck[] =
      rates?.importUnits !== null && rates?.importUnits !== undefined && r.pricePerKWh > BigInt(rates.importUnits)
        ? [{ id: 'purchaseAboveImport', severity: 'warning', source: 'market', params: { price: formatUnits(r.pricePerKWh, token.decimals), import: formatUnits(BigInt(rates.importUnits), token.decimals), currency: rates.currency } }]
        : [];
    let calls: MarketCall[];
    if (r.token === NATIVE_TOKEN) {
      await chain.simulate(buyer.address, 'fill', [offerHash, energyWh], value);
      calls = [{ to: chain.address, data: chain.encode('fill', [offerHash, energyWh]), value }];
    } else {
      const allowance = await chain.allowance(r.token, buyer.address);
      if (allowance >= value) {
        await chain.simulate(buyer.address, 'fill', [offerHash, energyWh]);
        calls = [{ to: chain.address, data: chain.encode('fill', [offerHash, energyWh]) }];
      } else {
        calls = [
          { to: r.token, data: chain.approveData(value) },
          { to: chain.address, data: chain.encode('fill', [offerHash, energyWh]), gasLimit: FILL_GAS_LIMIT },
        ];
      }
    }
    const receipt = await chain.sendCalls(signer, calls, checks, 'fill');
    const ev = chain.eventIn(receipt, 'OfferFilled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'filled' });
    return { offerHash, txHash: receipt.hash, paid: BigInt((ev?.paid as bigint | undefined) ?? value) };
  }

  async cancel(offerHash: string, account?: string): Promise<{ offerHash: string; txHash: string; unfilledWh: number }> {
    const r = await this.#existing(offerHash);
    const signer = this.deps.accounts.signer(pickAccount(this.deps.accounts, account, r.seller).address);
    const receipt = await this.deps.chain.send(signer, 'cancel', [offerHash]);
    const ev = this.deps.chain.eventIn(receipt, 'OfferCancelled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'cancelled' });
    return { offerHash, txHash: receipt.hash, unfilledWh: Number(ev?.unfilledWh ?? 0n) };
  }

  async settle(offerHash: string, account?: string): Promise<{ offerHash: string; txHash: string; provenWh: number; deliveredWh: number; sellerPaid: bigint }> {
    const { chain } = this.deps;
    const r = await this.#existing(offerHash);
    const me = pickAccount(this.deps.accounts, account, r.seller);
    if (r.seller.toLowerCase() !== me.address.toLowerCase()) {
      throw new WattletError('MARKET_NOT_SELLER', 'Only the seller settles an offer', { offerHash });
    }
    // The contract's own checks, in its order, before the proof is built: a clear reason beats "no anchor".
    const now = await chain.now();
    if (r.settled) throw new WattletError('MARKET_ALREADY_SETTLED', 'This offer is already settled', { offerHash });
    if (r.filledWh === 0) throw new WattletError('MARKET_NOTHING_SOLD', 'Nobody bought this offer', { offerHash });
    if (now < r.deliveryEnd) throw new WattletError('MARKET_SETTLEMENT_TOO_EARLY', 'The delivery window has not ended', { deliveryEnd: r.deliveryEnd });
    if (!canSettle(r, now)) {
      throw new WattletError('MARKET_SETTLEMENT_CLOSED', 'The settlement period is over', { deadline: r.deliveryEnd + SETTLEMENT_GRACE_SECONDS });
    }
    const proofs = await buildSettlementProofs(r, this.deps.intervals, (m, d) => chain.dayAnchor(m, d), this.deps.regionPaths);
    const receipt = await chain.send(this.deps.accounts.signer(me.address), 'settle', [offerHash, dayProofTuples(proofs)]);
    const ev = chain.eventIn(receipt, 'OfferSettled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'settled' });
    return {
      offerHash, txHash: receipt.hash,
      provenWh: Number(ev?.provenWh ?? 0n), deliveredWh: Number(ev?.deliveredWh ?? 0n), sellerPaid: BigInt((ev?.sellerPaid as bigint | undefined) ?? 0n),
    };
  }

  async reclaim(offerHash: string, account?: string): Promise<{ offerHash: string; txHash: string; amount: bigint }> {
    const signer = this.deps.accounts.signer(pickAccount(this.deps.accounts, account).address);
    const receipt = await this.deps.chain.send(signer, 'reclaim', [offerHash]);
    const ev = this.deps.chain.eventIn(receipt, 'EscrowReclaimed');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'reclaimed' });
    return { offerHash, txHash: receipt.hash, amount: BigInt((ev?.amount as bigint | undefined) ?? 0n) };
  }

  // ── the account's sales and purchases ──

  async myOffers(account?: string): Promise<{ offers: MyOffer[]; now: number }> {
    const { chain } = this.deps;
    const now = await chain.now();
    const me = pickAccount(this.deps.accounts, account, await this.#meterOwner()).address;
    const published = (await chain.publishedOffers(me)).filter((p) => fitsJson(p.offer));
    const events = await this.#events(published.map((p) => p.offerHash));
    const out: MyOffer[] = [];
    for (const p of published) {
      const r = await chain.record(p.offerHash);
      const token = await this.#tokens.info(p.offer.token).catch(() => unreadable(p.offer.token));
      out.push({
        offerHash: p.offerHash, offer: offerJson(p.offer), state: offerStateOf(r, now), proofStatus: await this.#sellerProofStatus(r, now),
        filledWh: r.filledWh, escrow: r.escrow.toString(), provenWh: r.provenWh, deliveredWh: r.settled ? deliveredWh(r.provenWh, r.filledWh) : 0,
        sellerPaid: r.sellerPaid.toString(),
        fills: (await chain.fills(p.offerHash)).map((f) => ({ ...f, paid: f.paid.toString() })),
        canCancel: canCancel(r, now), canSettle: canSettle(r, now),
        anchorsVerified: await this.#anchorsVerified(r, now),
        token,
        rates: this.#rates(p.offer.deliveryStart, p.offer.deliveryEnd, token),
        timeline: sellerTimeline(await this.#facts(p, r, now, events)),
      });
    }
    return { offers: out.reverse(), now };
  }

  async myPurchases(account?: string): Promise<{ purchases: MyPurchase[]; now: number }> {
    const { chain } = this.deps;
    const now = await chain.now();
    const me = pickAccount(this.deps.accounts, account).address;
    const hashes = new Set(await chain.purchasedOfferHashes(me));
    const published = (await chain.publishedOffers()).filter((x) => hashes.has(x.offerHash) && fitsJson(x.offer));
    const events = await this.#events(published.map((p) => p.offerHash));
    const out: MyPurchase[] = [];
    for (const p of published) {
      const [r, f] = await Promise.all([chain.record(p.offerHash), chain.fillOf(p.offerHash, me)]);
      const refund = refundOf(r, f, now);
      const token = await this.#tokens.info(p.offer.token).catch(() => unreadable(p.offer.token));
      out.push({
        offerHash: p.offerHash, offer: offerJson(p.offer), state: offerStateOf(r, now),
        proofStatus: await chainProofStatus(r, now, () => this.#allAnchored(r)),
        energyWh: f.energyWh, paid: f.paid.toString(), refund: refund === null ? null : refund.toString(),
        deliveredWh: r.settled ? deliveredWh(r.provenWh, r.filledWh) : null, reclaimed: f.reclaimed,
        canReclaim: !f.reclaimed && refund !== null && refund > 0n,
        anchorsVerified: await this.#anchorsVerified(r, now),
        token,
        rates: this.#rates(p.offer.deliveryStart, p.offer.deliveryEnd, token),
        timeline: buyerTimeline(await this.#facts(p, r, now, events), me, f.paid, refund, f.reclaimed),
      });
    }
    return { purchases: out.reverse(), now };
  }

  dispose(): void {
    // Nothing held: the chain provider and signers belong to whoever built them.
  }

  /** The account that would act by default: the meter's owner (to sell), when it is in the wallet. */
  async defaultSeller(): Promise<string | null> {
    return this.#meterOwner();
  }

  signerOf(account?: string): MarketSigner {
    return this.deps.accounts.signer(pickAccount(this.deps.accounts, account).address);
  }

  async #events(hashes: readonly string[]): Promise<Record<'OfferFilled' | 'OfferSettled' | 'EscrowReclaimed', OfferEvent[]>> {
    const { chain } = this.deps;
    const [OfferFilled, OfferSettled, EscrowReclaimed] = await Promise.all([
      chain.offerEvents('OfferFilled', hashes),
      chain.offerEvents('OfferSettled', hashes),
      chain.offerEvents('EscrowReclaimed', hashes),
    ]);
    return { OfferFilled, OfferSettled, EscrowReclaimed };
  }

  async #facts(p: PublishedOffer, r: OfferRecord, now: number, events: Record<'OfferFilled' | 'OfferSettled' | 'EscrowReclaimed', OfferEvent[]>): Promise<SaleFacts> {
    const { chain } = this.deps;
    const of = (list: OfferEvent[]) => list.filter((e) => e.offerHash === p.offerHash);
    const fills = await Promise.all(
      of(events.OfferFilled).map(async (e) => ({ at: await chain.blockTime(e.blockNumber), buyer: String(e.args.buyer), energyWh: Number(e.args.energyWh), paid: BigInt(e.args.paid as bigint) })),
    );
    const settled = of(events.OfferSettled)[0];
    const reclaims = await Promise.all(
      of(events.EscrowReclaimed).map(async (e) => ({ at: await chain.blockTime(e.blockNumber), buyer: String(e.args.buyer), amount: BigInt(e.args.amount as bigint) })),
    );
    // Anchors matter once the window is over and something was sold.
    const anchoredAt = r.filledWh > 0 && now >= r.deliveryEnd ? await Promise.all(windowDays(r).map((d) => chain.anchoredAt(r.meterId, d))) : windowDays(r).map(() => null);
    return {
      record: r,
      now,
      listedAt: await chain.blockTime(p.blockNumber),
      fills,
      anchoredAt,
      settledAt: settled ? await chain.blockTime(settled.blockNumber) : null,
      reclaims,
    };
  }

  #tariff() {
    return this.deps.tariff?.tariff() ?? null;
  }

  /** The household's rates for a window, in the token's unit when it is the tariff's currency. */
  #rates(start: number, end: number, token: TokenJson): RatesJson | null {
    const tariff = this.#tariff();
    if (!tariff || !this.deps.tariff || end <= start || end - start > 7 * 86_400) return null;
    const w = windowRates(tariff, start, end, this.deps.tariff.tierImportWh(tariff, (this.deps.clock ?? Date.now)()));
    const same = token.currency !== null && token.currency === tariff.currency;
    return {
      currency: w.currency,
      minorUnitDigits: w.minorUnitDigits,
      importPerKWh: w.importPerKWh,
      feedInPerKWh: w.feedInPerKWh,
      tier: w.tier,
      windows: [...w.windows],
      importUnits: same ? tariffToTokenUnits(w.importPerKWh, w.minorUnitDigits, token.decimals).toString() : null,
      feedInUnits: same ? tariffToTokenUnits(w.feedInPerKWh, w.minorUnitDigits, token.decimals).toString() : null,
    };
  }

  async #meterOwner(): Promise<string | null> {
    if (!this.deps.meterId) return null;
    const owner = await this.deps.chain.meterOwner(this.deps.meterId);
    return /^0x0{40}$/i.test(owner) ? null : owner;
  }

  async #sellerProofStatus(r: OfferRecord, now: number): Promise<ProofStatus> {
    const base = await chainProofStatus(r, now, () => this.#allAnchored(r));
    if (base !== 'anchored') return base;
    try {
      await buildSettlementProofs(r, this.deps.intervals, (m, d) => this.deps.chain.dayAnchor(m, d), this.deps.regionPaths);
      return 'ready';
    } catch (e) {
      if (isError(e, 'MARKET_PROOF_ROOT_MISMATCH')) return 'root-mismatch';
      if (isError(e, 'MARKET_INTERVALS_MISSING')) return 'intervals-missing';
      if (isError(e, 'MARKET_NOT_ANCHORED')) return 'awaiting-anchor';
      throw e;
    }
  }

  /** Asked only once the window is over and something was sold: before that there is nothing to prove. */
  async #anchorsVerified(r: OfferRecord, now: number): Promise<boolean | null> {
    const check = this.deps.anchorCheck;
    if (!check || r.filledWh === 0 || now < r.deliveryEnd) return null;
    const days = windowDays(r);
    if (!r.settled && !(await this.#allAnchored(r))) return null;
    // An endpoint that cannot answer leaves the anchor unchecked (null), which is not the same as disproven.
    const results = await Promise.all(days.map((d) => check(r.meterId, d).catch((): null => null)));
    return results.includes(null) ? null : results.every(Boolean);
  }

  async #allAnchored(r: OfferRecord): Promise<boolean> {
    const roots = await Promise.all(windowDays(r).map((d) => this.deps.chain.dayAnchor(r.meterId, d)));
    return roots.every((x) => x !== null);
  }

  async #existing(offerHash: string): Promise<OfferRecord> {
    const r = await this.deps.chain.record(offerHash);
    if (r.seller === NATIVE_TOKEN) throw new WattletError('MARKET_OFFER_NOT_FOUND', 'No such offer on the ledger', { offerHash });
    return r;
  }

  #meterId(): string {
    if (!this.deps.meterId) throw new WattletError('MARKET_NOT_CONFIGURED', 'No meter is linked to this wallet', { missing: 'meterId' });
    return this.deps.meterId;
  }
}

/** A window that starts no further ahead than the app lets a buyer's escrow be committed for. */
function windowWithinLead(o: { deliveryStart: number; deliveryEnd: number }, now: number): boolean {
  return o.deliveryStart <= now + MAX_LEAD_SECONDS && o.deliveryEnd - o.deliveryStart <= 7 * 86_400;
}

/** Offers whose numbers the contract's JSON carries exactly (a window near 2^64 does not). */
function fitsJson(o: Offer): boolean {
  return o.deliveryEnd <= MAX_JSON_SECONDS && o.expiry <= MAX_JSON_SECONDS && Number.isSafeInteger(o.energyWh);
}

/** A token the market cannot read, shown by its address in base units. */
function unreadable(address: string): TokenJson {
  return { address: getAddress(address), native: false, symbol: `${address.slice(0, 6)}…${address.slice(-4)}`, decimals: 0, currency: null };
}

