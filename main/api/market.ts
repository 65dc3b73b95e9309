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
  'MARKET_SELF_TRADE', // the buyer is the offer's seller; facts: account
  'MARKET_WINDOW_TOO_FAR', // the delivery window starts too far ahead (escrow would be locked for long); facts: deliveryStart, latest
  'MARKET_FILL_TOO_SMALL', // below the seller's minimum fill; facts: minFillWh, requestedWh
  'MARKET_TOKEN_UNSUPPORTED', // not an ERC-20 the market can read and count (symbol, decimals, exact transfers); facts: token, reason
  'MARKET_INSUFFICIENT_FUNDS', // the account holds less than the purchase costs; facts: needed, balance, symbol
] as const;
export type MarketErrorCode = (typeof marketErrorCodes)[number];

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
/** An unsigned integer of the smallest money unit, as a decimal string (values pass 2^53). */
const amount = z.string().regex(/^(0|[1-9][0-9]{0,77})$/);
const wh = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const unixSeconds = z.number().int().nonnegative().max(2 ** 40);

/**
 * The money an offer is priced in: the chain's coin (zero address) or an ERC-20 whose symbol and
 * decimals were read from the chain. `currency` is the ISO code the token is, by its symbol (the
 * code itself, or the code and one letter, as stablecoins are named: EURC, EURe, CNYD); no exchange
 * rate is ever assumed for any other token.
 */
export const tokenSchema = z.object({
  address,
  native: z.boolean(),
  symbol: z.string(),
  decimals: z.number().int().min(0).max(36),
  currency: z.string().nullable(),
});
export type TokenJson = z.infer<typeof tokenSchema>;

/**
 * The household's own tariff for a delivery window: what it pays the grid per kWh imported then
 * (the tier it is in now) and what the grid pays per kWh exported then, in the tariff's unit
 * (milli-minor per kWh: 38500 = €0.385) and, when the offer's token is the tariff's currency, in
 * the token's smallest unit per kWh.
 */
export const ratesSchema = z.object({
  currency: z.string(),
  minorUnitDigits: z.number().int().min(0).max(3),
  importPerKWh: z.number().int().nonnegative(),
  feedInPerKWh: z.number().int().nonnegative(),
  tier: z.number().int().positive().nullable(),
  windows: z.array(z.string()),
  importUnits: amount.nullable(),
  feedInUnits: amount.nullable(),
});
export type RatesJson = z.infer<typeof ratesSchema>;

/**
 * One step of a sale's life, for the Sell and Buy pages' timelines: what happened or is to come,
 * and when (unix seconds, chain time: when it happened, or when it is due).
 */
export const timelineStep = z.enum(['listed', 'bought', 'delivery', 'anchored', 'settled', 'paid', 'refund', 'reclaimed', 'lapsed']);
export const timelineEntrySchema = z.object({
  step: timelineStep,
  status: z.enum(['done', 'current', 'pending', 'skipped', 'failed']),
  at: unixSeconds.nullable(),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const signedOfferSchema = z.object({
  seller: address,
  meterId: hex32,
  energyWh: wh,
  /** The smallest purchase the seller accepts, unless it takes all that is left. */
  minFillWh: wh,
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
  token: tokenSchema,
  /** 'self': the viewing account sells it (it cannot buy it); 'wallet': another account of this wallet does. */
  own: z.enum(['self', 'wallet']).nullable(),
  /** The viewer's tariff for the offer's window (null without a tariff). */
  rates: ratesSchema.nullable(),
  /** False when the window lies further ahead than the app lets escrow be locked (it refuses to fill). */
  windowOk: z.boolean(),
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
  token: tokenSchema,
  rates: ratesSchema.nullable(),
  timeline: z.array(timelineEntrySchema),
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
  token: tokenSchema,
  rates: ratesSchema.nullable(),
  timeline: z.array(timelineEntrySchema),
});
export type MyPurchase = z.infer<typeof myPurchaseSchema>;

const txResult = z.object({ offerHash: hex32, txHash: hex32 });
/** The wallet account that acts (the account picker); default: the meter's owner to sell, the first account otherwise. */
const account = address.optional();

export const marketAccountSchema = z.object({
  address,
  label: z.string(),
  /** The ledger lists it as the owner of the household's meter: it may sell. */
  meterOwner: z.boolean(),
  /** The chain's coin, for fees (smallest unit). */
  nativeBalance: amount,
});

export const marketChannels = {
  'market.accounts': channel({
    doc: "The wallet's accounts as the market sees them: which owns the household's meter (and may sell), and their coin for fees.",
    request: z.object({}),
    response: z.object({
      accounts: z.array(marketAccountSchema),
      meterId: hex32.nullable(),
      householdCurrency: z.string().nullable(),
      /** The household's IANA time zone (the history's calendar): windows are shown in it. */
      timeZone: z.string(),
    }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
  'market.tokens': channel({
    doc: "The money offers can be priced in: the demo's tokens, the tokens of offers on the ledger and the chain's coin, each with the account's balance; the one that is the household's currency first.",
    request: z.object({ account }),
    response: z.object({ tokens: z.array(tokenSchema.extend({ balance: amount.nullable() })), householdCurrency: z.string().nullable() }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
  'market.token': channel({
    doc: "Any ERC-20 the person picks, its symbol and decimals read from the chain, with the account's balance.",
    request: z.object({ address, account }),
    response: tokenSchema.extend({ balance: amount.nullable() }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_TOKEN_UNSUPPORTED', 'MARKET_RPC_FAILED'],
  }),
  'market.prices': channel({
    doc: "The household's import and feed-in rates for a window, in the token's unit when it is the tariff's currency, and a price between them.",
    request: z.object({ deliveryStart: unixSeconds, deliveryEnd: unixSeconds, token: address }),
    response: z.object({
      token: tokenSchema,
      rates: ratesSchema.nullable(),
      /** Between the buyer's marginal import price and the seller's feed-in; null when not comparable. */
      suggestedPerKWh: amount.nullable(),
      /** Why there is no suggestion: no tariff chosen, or the token is not the tariff's currency. */
      reason: z.enum(['no-tariff', 'not-currency']).nullable(),
    }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_INVALID_WINDOW', 'MARKET_TOKEN_UNSUPPORTED', 'MARKET_RPC_FAILED'],
  }),
  'market.offers': channel({
    doc: "Open offers on the ledger, each with the seller's record of anchored export against past sales, and the viewer's own rates.",
    request: z.object({ includeClosed: z.boolean().default(false), account }),
    response: z.object({ offers: z.array(bookEntrySchema), now: unixSeconds }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
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
      /** The smallest purchase (default: the least the contract allows, ceil(energyWh / 32)). */
      minFillWh: wh.min(1).optional(),
      pricePerKWh: amount,
      deliveryStart: unixSeconds,
      deliveryEnd: unixSeconds,
      /** Defaults to the window's start: buyers commit before delivery begins. */
      expiry: unixSeconds.optional(),
      /** Default: the chain's coin. */
      token: address.optional(),
      account,
    }),
    response: z.object({ offerHash: hex32, txHash: hex32, offer: signedOfferSchema, signature: z.string() }),
    errors: [
      'MARKET_NOT_CONFIGURED', 'MARKET_NOT_METER_OWNER', 'MARKET_INVALID_WINDOW', 'MARKET_WINDOW_TOO_FAR', 'MARKET_INVALID_AMOUNT', 'MARKET_OFFER_EXPIRED',
      'MARKET_SIGNATURE_INVALID', 'MARKET_TOKEN_UNSUPPORTED', 'MARKET_TX_FAILED',
    ],
  }),
  'market.fill': channel({
    doc: 'Buys energy of an offer with one approval, paying ceil(energyWh * price / 1000) into escrow (a token offer: the allowance and the fill, approved together).',
    request: z.object({ offerHash: hex32, energyWh: wh.min(1), account }),
    response: txResult.extend({ paid: amount }),
    errors: [
      'MARKET_OFFER_NOT_FOUND', 'MARKET_OFFER_EXPIRED', 'MARKET_OFFER_CANCELLED', 'MARKET_OVERFILL', 'MARKET_TOO_MANY_BUYERS', 'MARKET_SELF_TRADE',
      'MARKET_WINDOW_TOO_FAR', 'MARKET_FILL_TOO_SMALL', 'MARKET_INSUFFICIENT_FUNDS', 'MARKET_TX_FAILED',
    ],
  }),
  'market.cancel': channel({
    doc: 'Withdraws what is unfilled of my offer; what was bought still settles.',
    request: z.object({ offerHash: hex32, account }),
    response: txResult.extend({ unfilledWh: wh }),
    errors: ['MARKET_OFFER_NOT_FOUND', 'MARKET_NOT_SELLER', 'MARKET_OFFER_CANCELLED', 'MARKET_TX_FAILED'],
  }),
  'market.settle': channel({
    doc: "Proves delivery with the window's intervals and a multiproof per day, and collects payment.",
    request: z.object({ offerHash: hex32, account }),
    response: txResult.extend({ provenWh: wh, deliveredWh: wh, sellerPaid: amount }),
    errors: [
      'MARKET_OFFER_NOT_FOUND', 'MARKET_NOT_SELLER', 'MARKET_ALREADY_SETTLED', 'MARKET_NOTHING_SOLD', 'MARKET_SETTLEMENT_TOO_EARLY',
      'MARKET_SETTLEMENT_CLOSED', 'MARKET_NOT_ANCHORED', 'MARKET_INTERVALS_MISSING', 'MARKET_PROOF_ROOT_MISMATCH', 'MARKET_PROOF_REJECTED', 'MARKET_TX_FAILED',
    ],
  }),
  'market.reclaim': channel({
    doc: 'Takes back escrow: the refund after settlement, or everything when settlement never came.',
    request: z.object({ offerHash: hex32, account }),
    response: txResult.extend({ amount }),
    errors: ['MARKET_NOTHING_TO_RECLAIM', 'MARKET_RECLAIM_TOO_EARLY', 'MARKET_TX_FAILED'],
  }),
  'market.myOffers': channel({
    doc: "The account's offers with fills, settlement, proof status and each sale's timeline.",
    request: z.object({ account }),
    response: z.object({ offers: z.array(myOfferSchema), now: unixSeconds }),
    errors: ['MARKET_NOT_CONFIGURED', 'MARKET_RPC_FAILED'],
  }),
  'market.myPurchases': channel({
    doc: "The account's purchases with settlement, refunds, proof status and each purchase's timeline.",
    request: z.object({ account }),
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
