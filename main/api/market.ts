import { z } from 'zod';
import { channel, event } from './channel.js';

// The market domain of the contract: peer sales of solar surplus (issue 8). Money crosses as decimal
// strings of the smallest unit (wei or token units); energy as integer Wh; times as unix seconds.

export const marketErrorCodes = [
  'MARKET_NOT_CONFIGURED', // no ledger endpoint / contract address / meter id in this mode
  'MARKET_RPC_FAILED', // the chain endpoint did not answer; facts: method
  'MARKET_NOT_METER_OWNER', // the ledger does not list this wallet as the meter's owner; facts: meterId, seller
  'MARKET_INVALID_WINDOW', // window not on 15-minute boundaries, empty, too long, or expiry after it
  'MARKET_INVALID_AMOUNT', // zero energy or price
  'MARKET_SIGNATURE_INVALID', // the contract refused the seller's signature (wrong chain, contract or signer)
  'MARKET_OFFER_NOT_FOUND', // facts: offerHash
  'MARKET_OFFER_EXISTS', // the same signed offer was already published
  'MARKET_OFFER_EXPIRED', // facts: offerHash
  'MARKET_OFFER_CANCELLED', // facts: offerHash
  'MARKET_OVERFILL', // facts: requestedWh, availableWh
  'MARKET_WRONG_PAYMENT', // facts: expected, sent
  'MARKET_TOO_MANY_BUYERS',
  'MARKET_NOT_SELLER', // only the offer's seller may do this
  'MARKET_ALREADY_SETTLED',
  'MARKET_NOTHING_SOLD', // nobody bought: nothing to settle
  'MARKET_SETTLEMENT_TOO_EARLY', // facts: deliveryEnd
  'MARKET_SETTLEMENT_CLOSED', // the grace period passed: buyers reclaim instead; facts: deadline
  'MARKET_NOT_ANCHORED', // the operator has not anchored a day of the window yet; facts: day
  'MARKET_INTERVALS_MISSING', // the household lacks intervals (with salts) of the window; facts: day
  'MARKET_PROOF_ROOT_MISMATCH', // local intervals do not hash to the anchored root; facts: day, anchoredRoot, localRoot
  'MARKET_PROOF_REJECTED', // the contract refused the multiproof; facts: day
  'MARKET_NOTHING_TO_RECLAIM',
  'MARKET_RECLAIM_TOO_EARLY', // facts: availableAt
  'MARKET_TX_FAILED', // the transaction reverted for another reason; facts: reason
] as const;
export type MarketErrorCode = (typeof marketErrorCodes)[number];

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
/** An unsigned integer of the smallest money unit, as a decimal string (values pass 2^53). */
const amount = z.string().regex(/^(0|[1-9][0-9]{0,77})$/);
const wh = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const unixSeconds = z.number().int().nonnegative().max(2 ** 40);

export const signedOfferSchema = z.object({
  seller: address,
  meterId: hex32,
  energyWh: wh,
  pricePerKWh: amount,
  token: address,
  deliveryStart: unixSeconds,
  deliveryEnd: unixSeconds,
  expiry: unixSeconds,
  nonce: amount,
});
export type SignedOfferJson = z.infer<typeof signedOfferSchema>;

/**
 * Where an offer is in its life, by the contract's clock (block time):
 * open → (filled | expired | cancelled) → delivering → awaiting-settlement → settled | lapsed.
 */
export const offerState = z.enum(['open', 'filled', 'expired', 'cancelled', 'delivering', 'awaiting-settlement', 'settled', 'lapsed']);
export type OfferState = z.infer<typeof offerState>;

/**
 * What is proven about the delivery:
 * - pending-delivery: the window has not ended;
 * - awaiting-anchor: the operator has not anchored every day of the window;
 * - anchored: every day's root is on the ledger (a buyer cannot see more before settlement);
 * - ready: the seller's own intervals hash to the anchored roots; the multiproof is built and checks;
 * - root-mismatch / intervals-missing: the seller cannot prove delivery with what it holds;
 * - proven: the contract checked the multiproof at settlement;
 * - unproven: the grace period passed without settlement;
 * - none: nothing was sold, nothing to prove.
 */
export const proofStatus = z.enum(['pending-delivery', 'awaiting-anchor', 'anchored', 'ready', 'root-mismatch', 'intervals-missing', 'proven', 'unproven', 'none']);
export type ProofStatus = z.infer<typeof proofStatus>;

export const sellerRecordSchema = z.object({
  /** Export the operator anchored for the seller's meter, all days. */
  anchoredExportWh: wh,
  /** Energy sold in offers that were settled, and how much of it was proven delivered. */
  settledSoldWh: wh,
  deliveredWh: wh,
  settledSales: z.number().int().nonnegative(),
  shortSales: z.number().int().nonnegative(),
  /** Sold but never settled within the grace period. */
  lapsedSales: z.number().int().nonnegative(),
});
export type SellerRecord = z.infer<typeof sellerRecordSchema>;

export const bookEntrySchema = z.object({
  offerHash: hex32,
  offer: signedOfferSchema,
  filledWh: wh,
  remainingWh: wh,
  state: offerState,
  sellerRecord: sellerRecordSchema,
});
export type BookEntry = z.infer<typeof bookEntrySchema>;

export const fillSchema = z.object({ buyer: address, energyWh: wh, paid: amount, reclaimed: z.boolean() });

export const myOfferSchema = z.object({
  offerHash: hex32,
  offer: signedOfferSchema,
  state: offerState,
  proofStatus,
  filledWh: wh,
  escrow: amount,
  provenWh: wh,
  deliveredWh: wh,
  sellerPaid: amount,
  fills: z.array(fillSchema),
  canCancel: z.boolean(),
  canSettle: z.boolean(),
  /** Every window day's anchor proven by the ledger's verifier (storage proof, header, depth); null when not checked. */
  anchorsVerified: z.boolean().nullable(),
});
export type MyOffer = z.infer<typeof myOfferSchema>;

export const myPurchaseSchema = z.object({
  offerHash: hex32,
  offer: signedOfferSchema,
  state: offerState,
  proofStatus,
  energyWh: wh,
  paid: amount,
  /** What the buyer gets back: after settlement the exact refund, after the grace all it paid; else null. */
  refund: amount.nullable(),
  deliveredWh: wh.nullable(),
  reclaimed: z.boolean(),
  canReclaim: z.boolean(),
  /** As for my offers: the window's anchors proven by the ledger's verifier; null when not checked. */
  anchorsVerified: z.boolean().nullable(),
});
export type MyPurchase = z.infer<typeof myPurchaseSchema>;

const txResult = z.object({ offerHash: hex32, txHash: hex32 });

export const marketChannels = {
  'market.offers': channel({
    doc: "Open offers on the ledger, each with the seller's record of anchored export against past sales.",
    request: z.object({ includeClosed: z.boolean().default(false) }),
    response: z.object({ offers: z.array(bookEntrySchema), now: unixSeconds }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
  'market.suggestPrice': channel({
    doc: "A price between the tariff's feed-in and import prices (per kWh, smallest unit).",
    request: z.object({ feedInPerKWh: amount, importPerKWh: amount }),
    response: z.object({ feedInPerKWh: amount, importPerKWh: amount, suggestedPerKWh: amount }),
    errors: [],
  }),
  'market.surplus': channel({
    doc: "Export expected in a window, from the same hours of recent days, minus what open offers already sell.",
    request: z.object({ deliveryStart: unixSeconds, deliveryEnd: unixSeconds, lookbackDays: z.number().int().min(1).max(60).default(7) }),
    response: z.object({
      deliveryStart: unixSeconds,
      deliveryEnd: unixSeconds,
      estimatedExportWh: wh,
      alreadyOfferedWh: wh,
      availableWh: wh,
      basisDays: z.number().int().nonnegative(),
    }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_INVALID_WINDOW'],
  }),
  'market.createOffer': channel({
    doc: 'Builds an offer, has the wallet sign it (after the person approves), and publishes it.',
    request: z.object({
      energyWh: wh.min(1),
      pricePerKWh: amount,
      deliveryStart: unixSeconds,
      deliveryEnd: unixSeconds,
      /** Defaults to the window's start: buyers commit before delivery begins. */
      expiry: unixSeconds.optional(),
      token: address.optional(),
    }),
    response: z.object({ offerHash: hex32, txHash: hex32, offer: signedOfferSchema, signature: z.string() }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_NOT_METER_OWNER', 'MARKET_INVALID_WINDOW', 'MARKET_INVALID_AMOUNT', 'MARKET_OFFER_EXPIRED', 'MARKET_SIGNATURE_INVALID', 'MARKET_TX_FAILED'],
  }),
  'market.fill': channel({
    doc: 'Buys energy of an offer, paying ceil(energyWh * price / 1000) into escrow.',
    request: z.object({ offerHash: hex32, energyWh: wh.min(1) }),
    response: txResult.extend({ paid: amount }),
    errors: ['MARKET_OFFER_NOT_FOUND', 'MARKET_OFFER_EXPIRED', 'MARKET_OFFER_CANCELLED', 'MARKET_OVERFILL', 'MARKET_TOO_MANY_BUYERS', 'MARKET_TX_FAILED'],
  }),
  'market.cancel': channel({
    doc: 'Withdraws what is unfilled of my offer; what was bought still settles.',
    request: z.object({ offerHash: hex32 }),
    response: txResult.extend({ unfilledWh: wh }),
    errors: ['MARKET_OFFER_NOT_FOUND', 'MARKET_NOT_SELLER', 'MARKET_OFFER_CANCELLED', 'MARKET_TX_FAILED'],
  }),
  'market.settle': channel({
    doc: "Proves delivery with the window's intervals and a multiproof per day, and collects payment.",
    request: z.object({ offerHash: hex32 }),
    response: txResult.extend({ provenWh: wh, deliveredWh: wh, sellerPaid: amount }),
    errors: [
      'MARKET_OFFER_NOT_FOUND', 'MARKET_NOT_SELLER', 'MARKET_ALREADY_SETTLED', 'MARKET_NOTHING_SOLD', 'MARKET_SETTLEMENT_TOO_EARLY',
      'MARKET_SETTLEMENT_CLOSED', 'MARKET_NOT_ANCHORED', 'MARKET_INTERVALS_MISSING', 'MARKET_PROOF_ROOT_MISMATCH', 'MARKET_PROOF_REJECTED', 'MARKET_TX_FAILED',
    ],
  }),
  'market.reclaim': channel({
    doc: 'Takes back escrow: the refund after settlement, or everything when settlement never came.',
    request: z.object({ offerHash: hex32 }),
    response: txResult.extend({ amount }),
    errors: ['MARKET_NOTHING_TO_RECLAIM', 'MARKET_RECLAIM_TOO_EARLY', 'MARKET_TX_FAILED'],
  }),
  'market.myOffers': channel({
    doc: "This wallet's offers with fills, settlement and proof status.",
    request: z.object({}),
    response: z.object({ offers: z.array(myOfferSchema), now: unixSeconds }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
  'market.myPurchases': channel({
    doc: "This wallet's purchases with settlement, refunds and proof status.",
    request: z.object({}),
    response: z.object({ purchases: z.array(myPurchaseSchema), now: unixSeconds }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
};

export const marketEvents = {
  'market.changed': event({
    doc: 'An offer this app published, filled, cancelled, settled or reclaimed changed on the ledger.',
    payload: z.object({ offerHash: hex32, kind: z.enum(['published', 'filled', 'cancelled', 'settled', 'reclaimed']) }),
  }),
};
