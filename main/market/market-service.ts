import { randomBytes, hexlify, type TransactionReceipt } from 'ethers';
import { WattletError, isError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import type { BookEntry, MyOffer, MyPurchase, ProofStatus, SellerRecord, SignedOfferJson } from '../api/market.js';
import type { AnchorCheck } from './anchor-check.js';
import type { ExportHistory } from './export-history.js';
import type { MarketChain, OfferRecord } from './market-chain.js';
import type { MarketSigner } from './market-signer.js';
import { NATIVE_TOKEN, SETTLEMENT_GRACE_SECONDS, hashOffer, offerTuple, offerTypes, offerValue, type Offer } from './offer.js';
import { canCancel, canSettle, chainProofStatus, offerStateOf, refundOf } from './offer-states.js';
import { costOf, deliveredWh, suggestPrice, type PriceSuggestion } from './pricing.js';
import { buildSettlementProofs, dayProofTuples, windowDays, type DayIntervals, type DayRegionPath } from './settlement-proof.js';
import { checkWindow, estimateSurplus, overlapWh, type SurplusEstimate } from './surplus.js';

export interface MarketServiceDeps {
  readonly chain: MarketChain;
  /** The household's wallet; signs only after the person approves (main/wallet). */
  readonly signer: MarketSigner;
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
}

export interface CreateOfferInput {
  readonly energyWh: number;
  readonly pricePerKWh: bigint;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly expiry?: number;
  readonly token?: string;
}

export function offerJson(o: Offer): SignedOfferJson {
  return { ...o, pricePerKWh: o.pricePerKWh.toString(), nonce: o.nonce.toString() };
}

/**
 * Peer sales for one household: the offer book, its own offers and purchases, and the transactions
 * that move them (publish, fill, cancel, settle, reclaim). Holds no state of its own: the ledger is
 * the record, read afresh on every call.
 */
export class MarketService {
  constructor(private readonly deps: MarketServiceDeps) {}

  suggestPrice(feedInPerKWh: bigint, importPerKWh: bigint): PriceSuggestion {
    return suggestPrice(feedInPerKWh, importPerKWh);
  }

  async offers(includeClosed = false): Promise<{ offers: BookEntry[]; now: number }> {
    const { chain } = this.deps;
    const [now, published] = await Promise.all([chain.now(), chain.publishedOffers()]);
    const records = new Map<string, Promise<SellerRecord>>();
    const out: BookEntry[] = [];
    for (const p of published) {
      const r = await chain.record(p.offerHash);
      const state = offerStateOf(r, now);
      if (!includeClosed && state !== 'open') continue;
      const key = p.offer.meterId;
      if (!records.has(key)) records.set(key, this.sellerRecord(p.offer.seller, p.offer.meterId, now));
      out.push({
        offerHash: p.offerHash,
        offer: offerJson(p.offer),
        filledWh: r.filledWh,
        remainingWh: r.cancelled ? 0 : r.energyWh - r.filledWh,
        state,
        sellerRecord: await (records.get(key) as Promise<SellerRecord>),
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

  async surplus(deliveryStart: number, deliveryEnd: number, lookbackDays: number): Promise<SurplusEstimate> {
    const { chain } = this.deps;
    checkWindow(deliveryStart, deliveryEnd);
    const [now, me] = await Promise.all([chain.now(), this.deps.signer.getAddress()]);
    let offered = 0;
    for (const p of await chain.publishedOffers(me)) {
      const r = await chain.record(p.offerHash);
      const state = offerStateOf(r, now);
      // Open offers may still sell all they list; closed ones only what was bought.
      const wh = state === 'open' ? r.energyWh : r.filledWh;
      if (state === 'settled' || state === 'lapsed') continue;
      offered += overlapWh({ ...p.offer, energyWh: wh }, deliveryStart, deliveryEnd);
    }
    return estimateSurplus(this.deps.exportHistory, { deliveryStart, deliveryEnd }, now, lookbackDays, offered);
  }

  async createOffer(input: CreateOfferInput): Promise<{ offerHash: string; txHash: string; offer: Offer; signature: string }> {
    const { chain, signer } = this.deps;
    const meterId = this.#meterId();
    checkWindow(input.deliveryStart, input.deliveryEnd);
    const expiry = input.expiry ?? input.deliveryStart;
    if (expiry > input.deliveryEnd) {
      throw new WattletError('MARKET_INVALID_WINDOW', 'The offer must expire before its window ends', { expiry, deliveryEnd: input.deliveryEnd });
    }
    if (input.pricePerKWh <= 0n) throw new WattletError('MARKET_INVALID_AMOUNT', 'The price must be above zero', { pricePerKWh: '0' });
    const [now, seller, domain] = await Promise.all([chain.now(), signer.getAddress(), chain.domain()]);
    if (expiry <= now) throw new WattletError('MARKET_OFFER_EXPIRED', 'The offer would already be expired', { expiry, now });
    const owner = await chain.meterOwner(meterId);
    if (owner.toLowerCase() !== seller.toLowerCase()) {
      throw new WattletError('MARKET_NOT_METER_OWNER', 'The ledger does not list this wallet as the meter owner', { meterId, seller, owner });
    }
    const offer: Offer = {
      seller, meterId, energyWh: input.energyWh, pricePerKWh: input.pricePerKWh, token: input.token ?? NATIVE_TOKEN,
      deliveryStart: input.deliveryStart, deliveryEnd: input.deliveryEnd, expiry,
      // Random, not a counter: two identical offers stay distinct without any local state.
      nonce: BigInt(hexlify(randomBytes(16))),
    };
    const signature = await signer.signTypedData(domain, offerTypes(), offerValue(offer));
    const receipt = await chain.send(signer, 'publishOffer', [offerTuple(offer), signature]);
    const ev = chain.eventIn(receipt, 'OfferPublished');
    const offerHash = String(ev?.offerHash ?? hashOffer(domain, offer));
    this.deps.events?.emit('market.changed', { offerHash, kind: 'published' });
    return { offerHash, txHash: receipt.hash, offer, signature };
  }

  async fill(offerHash: string, energyWh: number): Promise<{ offerHash: string; txHash: string; paid: bigint }> {
    const { chain, signer } = this.deps;
    const r = await this.#existing(offerHash);
    const value = costOf(energyWh, r.pricePerKWh);
    let receipt: TransactionReceipt;
    if (r.token === NATIVE_TOKEN) {
      receipt = await chain.send(signer, 'fill', [offerHash, energyWh], value);
    } else {
      // A token offer is paid by transferFrom: allow exactly this fill's cost first (one more approval).
      if ((await chain.allowance(r.token, await signer.getAddress())) < value) await chain.approveToken(signer, r.token, value);
      receipt = await chain.send(signer, 'fill', [offerHash, energyWh], 0n);
    }
    const ev = chain.eventIn(receipt, 'OfferFilled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'filled' });
    return { offerHash, txHash: receipt.hash, paid: BigInt((ev?.paid as bigint | undefined) ?? value) };
  }

  async cancel(offerHash: string): Promise<{ offerHash: string; txHash: string; unfilledWh: number }> {
    await this.#existing(offerHash);
    const receipt = await this.deps.chain.send(this.deps.signer, 'cancel', [offerHash]);
    const ev = this.deps.chain.eventIn(receipt, 'OfferCancelled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'cancelled' });
    return { offerHash, txHash: receipt.hash, unfilledWh: Number(ev?.unfilledWh ?? 0n) };
  }

  async settle(offerHash: string): Promise<{ offerHash: string; txHash: string; provenWh: number; deliveredWh: number; sellerPaid: bigint }> {
    const { chain, signer } = this.deps;
    const r = await this.#existing(offerHash);
    if (r.seller.toLowerCase() !== (await signer.getAddress()).toLowerCase()) {
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
    const receipt = await chain.send(signer, 'settle', [offerHash, dayProofTuples(proofs)]);
    const ev = chain.eventIn(receipt, 'OfferSettled');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'settled' });
    return {
      offerHash, txHash: receipt.hash,
      provenWh: Number(ev?.provenWh ?? 0n), deliveredWh: Number(ev?.deliveredWh ?? 0n), sellerPaid: BigInt((ev?.sellerPaid as bigint | undefined) ?? 0n),
    };
  }

  async reclaim(offerHash: string): Promise<{ offerHash: string; txHash: string; amount: bigint }> {
    const receipt = await this.deps.chain.send(this.deps.signer, 'reclaim', [offerHash]);
    const ev = this.deps.chain.eventIn(receipt, 'EscrowReclaimed');
    this.deps.events?.emit('market.changed', { offerHash, kind: 'reclaimed' });
    return { offerHash, txHash: receipt.hash, amount: BigInt((ev?.amount as bigint | undefined) ?? 0n) };
  }

  async myOffers(): Promise<{ offers: MyOffer[]; now: number }> {
    const { chain, signer } = this.deps;
    const [now, me] = await Promise.all([chain.now(), signer.getAddress()]);
    const out: MyOffer[] = [];
    for (const p of await chain.publishedOffers(me)) {
      const r = await chain.record(p.offerHash);
      out.push({
        offerHash: p.offerHash, offer: offerJson(p.offer), state: offerStateOf(r, now), proofStatus: await this.#sellerProofStatus(r, now),
        filledWh: r.filledWh, escrow: r.escrow.toString(), provenWh: r.provenWh, deliveredWh: r.settled ? deliveredWh(r.provenWh, r.filledWh) : 0,
        sellerPaid: r.sellerPaid.toString(),
        fills: (await chain.fills(p.offerHash)).map((f) => ({ ...f, paid: f.paid.toString() })),
        canCancel: canCancel(r, now), canSettle: canSettle(r, now),
        anchorsVerified: await this.#anchorsVerified(r, now),
      });
    }
    return { offers: out.reverse(), now };
  }

  async myPurchases(): Promise<{ purchases: MyPurchase[]; now: number }> {
    const { chain, signer } = this.deps;
    const [now, me] = await Promise.all([chain.now(), signer.getAddress()]);
    const hashes = new Set(await chain.purchasedOfferHashes(me));
    const out: MyPurchase[] = [];
    for (const p of (await chain.publishedOffers()).filter((x) => hashes.has(x.offerHash))) {
      const [r, f] = await Promise.all([chain.record(p.offerHash), chain.fillOf(p.offerHash, me)]);
      const refund = refundOf(r, f, now);
      out.push({
        offerHash: p.offerHash, offer: offerJson(p.offer), state: offerStateOf(r, now),
        proofStatus: await chainProofStatus(r, now, () => this.#allAnchored(r)),
        energyWh: f.energyWh, paid: f.paid.toString(), refund: refund === null ? null : refund.toString(),
        deliveredWh: r.settled ? deliveredWh(r.provenWh, r.filledWh) : null, reclaimed: f.reclaimed,
        canReclaim: !f.reclaimed && refund !== null && refund > 0n,
        anchorsVerified: await this.#anchorsVerified(r, now),
      });
    }
    return { purchases: out.reverse(), now };
  }

  dispose(): void {
    // Nothing held: the chain provider and signer belong to whoever built them.
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
