import { z } from 'zod';
import { language } from './app.js';
import { channel, event } from './channel.js';

/**
 * The wallet domain of the contract. Secrets never cross it towards the UI, with one deliberate
 * exception: `wallet.create` answers the new recovery words once, so the person can write them
 * down. Seeing them again happens only on the approval surface ('wallet.revealWords'), and the
 * backup check answers pass or fail with a few tries, never which word was wrong. Signatures cross it only after a person approved them on the approval surface (a window
 * or page the main window's scripts cannot reach); `wallet.requestSignature` waits for that.
 */
export const walletErrorCodes = [
  'KEYCHAIN_UNAVAILABLE', // no Secret Service, keyring locked, access denied: facts.platform, facts.hint
  'KEYCHAIN_ENTRY_MISSING', // the app lists a key the keychain no longer holds
  'WALLET_EMPTY', // no key created or imported yet
  'WALLET_LOCKED',
  'WALLET_IMPORT_INVALID',
  'WALLET_KEY_EXISTS',
  'WALLET_KEY_UNKNOWN',
  'WALLET_ACCOUNT_UNKNOWN',
  'WALLET_NOT_HD', // more accounts from a single imported private key
  'WALLET_BACKUP_MISMATCH', // facts: keyId, triesLeft, retryAt (ms since epoch, or null)
  'WALLET_BACKUP_TOO_SOON', // a try before the delay after a wrong one ran out: facts.keyId, facts.retryAt
  'WALLET_BACKUP_LOCKED_OUT', // no tries left: show the words again on the approval surface (wallet.revealWords)
  'WALLET_BACKUP_CONFIRMED', // the backup is confirmed (or the key was imported): nothing left to check
  'WALLET_BACKUP_UNCONFIRMED',
  'WALLET_STORE_CORRUPT',
  'WALLET_NO_CHAIN',
  'WALLET_NO_LEDGER',
  'WALLET_CHAIN_MISMATCH',
  'WALLET_FOREIGN_CONTRACT',
  'WALLET_REQUEST_INVALID', // facts.reason says why (typed data: 'primary-type-not-root', 'unreachable-type', 'unknown-key', …)
  'WALLET_SEND_FAILED',
  'APPROVAL_REJECTED',
  'APPROVAL_TIMEOUT',
  'APPROVAL_CANCELLED',
  'APPROVAL_QUEUE_FULL',
] as const;
export type WalletErrorCode = (typeof walletErrorCodes)[number];
/** The languages the approval surface speaks (Settings' language). */
export type ApprovalLanguage = z.infer<typeof language>;

export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x address of 40 hex digits');
/** Integers that can pass 2^53 (wei, token units, chain ids) travel as decimal strings. */
export const decimalSchema = z.string().regex(/^[0-9]{1,78}$/, 'a non-negative decimal integer');
export const hexDataSchema = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'hex bytes starting with 0x');
const labelSchema = z.string().trim().min(1).max(64);
const keyIdSchema = z.string().regex(/^k-[0-9a-f]{16}$/);

export const keyInfoSchema = z.object({
  id: keyIdSchema,
  kind: z.enum(['mnemonic', 'privateKey']),
  backupConfirmed: z.boolean(),
  createdAt: z.number().int(),
});
export type KeyInfo = z.infer<typeof keyInfoSchema>;

export const accountSchema = z.object({
  address: addressSchema,
  label: z.string(),
  keyId: keyIdSchema,
  /** HD index under m/44'/60'/0'/0; null for an imported private key. */
  index: z.number().int().nonnegative().nullable(),
  path: z.string().nullable(),
});
export type Account = z.infer<typeof accountSchema>;

export const walletStatusSchema = z.object({
  state: z.enum(['empty', 'locked', 'unlocked']),
  /** When the key will be dropped from memory (ms since epoch), while unlocked. */
  autoLockAt: z.number().int().nullable(),
  keys: z.array(keyInfoSchema),
  accounts: z.array(accountSchema),
  pendingApprovals: z.number().int().nonnegative(),
});
export type WalletStatus = z.infer<typeof walletStatusSchema>;

const positionsSchema = z.array(z.number().int().min(1).max(24)).length(3);

/** Where a key's backup check stands: the fixed positions and the tries left. Nothing secret. */
export const backupChallengeSchema = z.object({
  keyId: keyIdSchema,
  positions: positionsSchema,
  triesLeft: z.number().int().nonnegative(),
  /** When the next try is accepted after a wrong one (ms since epoch); null when it is now. */
  retryAt: z.number().int().nullable(),
  /** No tries left: only seeing the words again on the approval surface starts over. */
  lockedOut: z.boolean(),
});
export type BackupChallenge = z.infer<typeof backupChallengeSchema>;

const typedDataFieldSchema = z.object({ name: z.string().min(1).max(64), type: z.string().min(1).max(64) });
export const typedDataRequestSchema = z.object({
  kind: z.literal('typedData'),
  from: addressSchema,
  domain: z.object({
    name: z.string().max(128).optional(),
    version: z.string().max(32).optional(),
    chainId: z.union([decimalSchema, z.number().int().nonnegative()]).optional(),
    verifyingContract: addressSchema.optional(),
    salt: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
  }),
  types: z
    .record(z.string().min(1).max(64), z.array(typedDataFieldSchema).max(64))
    .refine((t) => Object.keys(t).length <= 64, 'at most 64 types'),
  primaryType: z.string().min(1).max(64),
  message: z.record(z.string(), z.json()),
});
export type TypedDataRequest = z.infer<typeof typedDataRequestSchema>;

export const messageRequestSchema = z.object({
  kind: z.literal('message'),
  from: addressSchema,
  /** UTF-8 text, or bytes when `encoding` is 'hex'. */
  message: z.string().max(8192),
  encoding: z.enum(['utf8', 'hex']).default('utf8'),
});
export type MessageRequest = z.infer<typeof messageRequestSchema>;

export const transactionRequestSchema = z.object({
  kind: z.literal('transaction'),
  from: addressSchema,
  to: addressSchema,
  value: decimalSchema.default('0'),
  data: hexDataSchema.max(2 + 2 * 131_072).default('0x'),
  /** The chain the caller means; refused when it is not the connected chain. */
  chainId: decimalSchema.optional(),
  gasLimit: decimalSchema.optional(),
});
export type TransactionRequest = z.infer<typeof transactionRequestSchema>;

export const signatureRequestSchema = z.discriminatedUnion('kind', [
  typedDataRequestSchema,
  messageRequestSchema,
  transactionRequestSchema,
]);
export type SignatureRequest = z.infer<typeof signatureRequestSchema>;

export const signatureResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('typedData'), signature: hexDataSchema }),
  z.object({ kind: z.literal('message'), signature: hexDataSchema }),
  z.object({ kind: z.literal('transaction'), hash: hexDataSchema }),
]);
export type SignatureResult = z.infer<typeof signatureResultSchema>;

/** One decoded value as the approval surface shows it: raw, formatted, and its unit. */
export const displayFieldSchema = z.object({
  /** Dotted path for typed data ("offer.amountWh"), argument name for a call. */
  name: z.string(),
  type: z.string(),
  raw: z.string(),
  display: z.string(),
  /** 'kWh', 'ETH', '<token>/kWh', 'UTC', … or null when the value has no unit. */
  unit: z.string().nullable(),
});
export type DisplayField = z.infer<typeof displayFieldSchema>;

/** An amount of the offer's token: base units, the same as a decimal in the token's unit. */
const tokenAmountSchema = z.object({ units: decimalSchema, amount: z.string() });

/**
 * An EnergyLedger offer (recognised by its pinned EIP-712 type hash) as a person reads it:
 * energy in kWh, the delivery window in the household's time zone, price and total in the
 * chain's unit and, only when the token is the household's currency, in that currency too.
 */
export const offerViewSchema = z.object({
  seller: addressSchema,
  meterId: z.string(),
  energyWh: decimalSchema,
  /** energyWh / 1000, exact. */
  energyKWh: z.string(),
  /** The smallest purchase a buyer may make (unless it takes all that is left), as signed. */
  minFillWh: decimalSchema,
  /** Unix seconds as signed (decimal strings: a uint64 may not fit a JS number). */
  deliveryStart: decimalSchema,
  deliveryEnd: decimalSchema,
  expiry: decimalSchema,
  /** The household's IANA time zone (UTC when none is known): the page shows the times in it. */
  timeZone: z.string(),
  token: z.object({
    address: addressSchema,
    /** Zero address: the chain's own coin. */
    native: z.boolean(),
    /** Symbol and decimals as read from the token; null when it could not be read (base units shown). */
    symbol: z.string().nullable(),
    decimals: z.number().int().nonnegative(),
  }),
  pricePerKWh: tokenAmountSchema,
  /** What a buyer of the whole offer pays: ceil(energyWh × pricePerKWh / 1000), as the contract's costOf. */
  total: tokenAmountSchema,
  /** The household's currency (ISO 4217) when known. */
  householdCurrency: z.string().nullable(),
  /** True when the token is that currency (its symbol names it): the amounts are then in it, 1:1. */
  inHouseholdCurrency: z.boolean(),
  nonce: decimalSchema,
});
export type OfferView = z.infer<typeof offerViewSchema>;

/**
 * Checks in the style of Rabby: what a careful signer would want pointed out before approving,
 * each a stable id the approval page translates with its params. `wallet` checks are read by the
 * wallet from the request and the chain itself; `market` checks come from the market room (the
 * household's tariff, the ledger's anchors, its export history), which the wallet cannot know.
 */
export const approvalCheckIds = [
  // A sell offer (market).
  'priceBelowFeedIn', // params: price, feedIn, currency: the grid pays more for the same export
  'priceAboveImport', // params: price, import, currency: a neighbour on the same tariff pays the grid less
  'priceNotComparable', // params: symbol, currency: the token is not the household's currency; no rate is assumed
  'windowNotAnchorable', // params: lastAnchored (YYYY-MM-DD or null), settleBy: the operator's anchors lag behind the time to settle
  'moreThanAnchoredExport', // params: energyWh, maxWh, days: more than the operator anchored in the same hours of recent days
  'noAnchoredExport', // params: days: no anchored export in the same hours of recent days
  // A sell offer (wallet).
  'sellerNotSigner', // params: seller: the offer names another seller; the ledger would refuse it
  // A purchase (wallet).
  'buyFromYourself', // the offer's seller is the account that pays: the ledger refuses a self-trade
  'buyFromYourOtherAccount', // params: label: the seller is another account of this wallet
  'allowanceAboveCost', // params: allowance, cost: the token allowance is more than this purchase costs
  'approveForeignSpender', // params: spender: a token allowance for another contract than the EnergyLedger
  // A purchase (market).
  'purchaseAboveImport', // params: price, import, currency: the grid sells for less in that window
] as const;
export const approvalCheckSchema = z.object({
  id: z.enum(approvalCheckIds),
  severity: z.enum(['info', 'warning', 'danger']),
  source: z.enum(['wallet', 'market']),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type ApprovalCheck = z.infer<typeof approvalCheckSchema>;

/** The transaction that publishes a signed offer, approved together with the signature. */
export const publishViewSchema = z.object({
  to: addressSchema,
  /** The call, always EnergyLedger.publishOffer(offer, signature) of exactly the offer shown. */
  call: z.string(),
  /** The most gas the wallet will let it use, and the most that can cost (limit × max fee per gas). */
  gasLimit: decimalSchema,
  maxFeeWei: decimalSchema,
  maxFee: z.string(),
  nativeSymbol: z.string(),
});
export type PublishView = z.infer<typeof publishViewSchema>;

/**
 * A purchase (EnergyLedger.fill) as a person reads it, from the offer's record on the ledger
 * itself (never from the caller's word): whom it pays, for what energy, in which window, how
 * much, and what happens if delivery falls short.
 */
export const purchaseViewSchema = z.object({
  offerHash: z.string(),
  seller: addressSchema,
  meterId: z.string(),
  energyWh: decimalSchema,
  energyKWh: z.string(),
  deliveryStart: decimalSchema,
  deliveryEnd: decimalSchema,
  timeZone: z.string(),
  token: z.object({ address: addressSchema, native: z.boolean(), symbol: z.string().nullable(), decimals: z.number().int().nonnegative() }),
  pricePerKWh: tokenAmountSchema,
  /** What goes into escrow: ceil(energyWh × pricePerKWh / 1000), the contract's costOf. */
  amount: tokenAmountSchema,
  householdCurrency: z.string().nullable(),
  inHouseholdCurrency: z.boolean(),
  /** Unix seconds: if the seller has not settled by then, the buyer takes everything back. */
  reclaimFrom: decimalSchema,
});
export type PurchaseView = z.infer<typeof purchaseViewSchema>;

/**
 * An EnergyLedger call on an offer already on the ledger (cancel, settle, reclaim) as a person reads
 * it, from the ledger's own record of the offer (never from the caller's word): the offer's energy,
 * window and price, and what this call moves. A figure the wallet cannot know before the call runs
 * is null, and the page then says what is known instead.
 */
const marketCallBase = {
  offerHash: z.string(),
  seller: addressSchema,
  /** The offer as published: its energy, what buyers took of it, its window and price. */
  energyWh: decimalSchema,
  soldWh: decimalSchema,
  deliveryStart: decimalSchema,
  deliveryEnd: decimalSchema,
  timeZone: z.string(),
  token: z.object({ address: addressSchema, native: z.boolean(), symbol: z.string().nullable(), decimals: z.number().int().nonnegative() }),
  pricePerKWh: tokenAmountSchema,
  householdCurrency: z.string().nullable(),
  inHouseholdCurrency: z.boolean(),
  /** The chain's clock (the latest block, unix seconds): "today" and "tomorrow" are said against it. */
  chainNow: decimalSchema,
  /** False when the chain refuses the call as things stand (eth_call from the account): it would fail. */
  accepted: z.boolean(),
};
export const marketCallViewSchema = z.discriminatedUnion('call', [
  /** EnergyLedger.cancel: what is unsold is withdrawn; what was bought still settles. */
  z.object({ ...marketCallBase, call: z.literal('cancel'), unsoldWh: decimalSchema }),
  /**
   * EnergyLedger.settle: the proof's delivered energy (the export the call's intervals carry that no
   * earlier settlement used, up to what was sold: the contract's own walk), what the seller is paid
   * (the sum over buyers of floor(paid × delivered / sold)) and what goes back to the buyers. Null
   * when the call would not run now (the chain refuses it as it stands).
   */
  z.object({
    ...marketCallBase,
    call: z.literal('settle'),
    escrow: tokenAmountSchema,
    buyers: z.number().int().nonnegative(),
    deliveredWh: decimalSchema.nullable(),
    sellerGets: tokenAmountSchema.nullable(),
    buyersGetBack: tokenAmountSchema.nullable(),
  }),
  /**
   * EnergyLedger.reclaim by the buyer: what it paid for what energy, and what comes back. 'shortfall':
   * settled with less delivered than sold (deliveredWh set); 'unsettled': the seller did not prove
   * delivery in time, everything comes back; null when nothing can be taken back now.
   */
  z.object({
    ...marketCallBase,
    call: z.literal('reclaim'),
    boughtWh: decimalSchema,
    paid: tokenAmountSchema,
    amount: tokenAmountSchema.nullable(),
    cause: z.enum(['shortfall', 'unsettled']).nullable(),
    deliveredWh: decimalSchema.nullable(),
  }),
]);
export type MarketCallView = z.infer<typeof marketCallViewSchema>;

/** One transaction of a batch, decoded as a lone transaction is. */
export const callViewSchema = z.object({
  to: addressSchema,
  valueWei: decimalSchema,
  value: z.string(),
  gasLimit: decimalSchema,
  call: z.object({ contract: z.string(), name: z.string(), signature: z.string(), args: z.array(displayFieldSchema) }).nullable(),
  selector: z.string().nullable(),
  dataBytes: z.number().int().nonnegative(),
});
export type CallView = z.infer<typeof callViewSchema>;

const viewBase = {
  id: z.string(),
  from: addressSchema,
  createdAt: z.number().int(),
  /** When the prompt is cancelled if no one decides. */
  expiresAt: z.number().int(),
  /**
   * The household's language (Settings) when the prompt was shown: the page speaks it. Null when the
   * host has none, or left out (then the page follows the browser's). It only picks the page's words.
   */
  language: language.nullable().optional(),
};

/**
 * What the approval surface shows (the separate window or page, never the main window): the
 * request decoded by the main process so the person judges content, not hex.
 */
export const approvalViewSchema = z.discriminatedUnion('kind', [
  z.object({
    ...viewBase,
    kind: z.literal('transaction'),
    chainId: decimalSchema,
    to: addressSchema,
    valueWei: decimalSchema,
    value: z.string(),
    nativeSymbol: z.string(),
    gasLimit: decimalSchema,
    /** The most the fee can be: gas limit × max fee per gas, in wei, and formatted. */
    maxFeeWei: decimalSchema,
    maxFee: z.string(),
    /** The decoded call when an ABI of the app's contracts knows the selector. */
    call: z.object({ contract: z.string(), name: z.string(), signature: z.string(), args: z.array(displayFieldSchema) }).nullable(),
    selector: z.string().nullable(),
    dataBytes: z.number().int().nonnegative(),
    /** Set when the call cancels, settles or reclaims an EnergyLedger offer: it in plain terms. */
    market: marketCallViewSchema.nullable(),
  }),
  z.object({
    ...viewBase,
    kind: z.literal('typedData'),
    chainId: decimalSchema,
    /** The whole EIP-712 domain, as hashed: every member the request gave. */
    domain: z.object({
      name: z.string().nullable(),
      version: z.string().nullable(),
      chainId: decimalSchema,
      verifyingContract: addressSchema,
      salt: z.string().nullable(),
    }),
    /** The root struct ethers' encoder derives from `types`: the one the signature is over. */
    primaryType: z.string(),
    /** keccak256 of the primary type's canonical encoding (EIP-712 typeHash). */
    typeHash: hexDataSchema,
    /** Every field of the signed struct, nested structs and arrays included, by dotted path. */
    fields: z.array(displayFieldSchema),
    /** Set when the type hash is the EnergyLedger's Offer: the offer in plain terms. */
    offer: offerViewSchema.nullable(),
    /** Set when approving also publishes the offer (one approval for signature and transaction). */
    publish: publishViewSchema.nullable(),
    checks: z.array(approvalCheckSchema),
  }),
  z.object({
    ...viewBase,
    kind: z.literal('calls'),
    /**
     * Several transactions approved at once and sent in order, each after the previous one is
     * mined (EIP-5792's batch of calls): a token purchase is an allowance and the fill.
     */
    chainId: decimalSchema,
    calls: z.array(callViewSchema).min(1).max(4),
    /** The most the whole batch can cost in fees. */
    maxFeeWei: decimalSchema,
    maxFee: z.string(),
    nativeSymbol: z.string(),
    /** Set when the batch buys energy of an EnergyLedger offer. */
    purchase: purchaseViewSchema.nullable(),
    checks: z.array(approvalCheckSchema),
  }),
  z.object({
    ...viewBase,
    kind: z.literal('revealWords'),
    /**
     * The recovery words, shown again so the person can start the backup check over. Only ever
     * on the approval surface: the main window learns that they were shown, not what they are.
     */
    keyId: keyIdSchema,
    words: z.array(z.string()).min(12).max(24),
  }),
  z.object({
    ...viewBase,
    kind: z.literal('removeKey'),
    /** Deleting a key from the keychain cannot be undone here: only its words bring it back. */
    keyId: z.string(),
    keyKind: z.enum(['mnemonic', 'privateKey']),
    backupConfirmed: z.boolean(),
    addresses: z.array(addressSchema),
  }),
  z.object({
    ...viewBase,
    kind: z.literal('message'),
    /** The text when the bytes are printable UTF-8; otherwise null and only hex is shown. */
    text: z.string().nullable(),
    hex: hexDataSchema,
  }),
]);
export type ApprovalView = z.infer<typeof approvalViewSchema>;

/** What the main window may know about a waiting approval: never the one-time token. */
export const approvalSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['typedData', 'calls', 'message', 'transaction', 'removeKey', 'revealWords']),
  from: addressSchema,
  /** Short non-secret description, e.g. "EnergyOffer on chain 31337" or "0.5 ETH to 0x…". */
  summary: z.string(),
  state: z.enum(['presented', 'queued']),
  createdAt: z.number().int(),
});
export type ApprovalSummary = z.infer<typeof approvalSummarySchema>;

export const walletChannels = {
  'wallet.status': channel({
    doc: 'Locked or unlocked, the keys (without secrets) and accounts.',
    request: z.object({}),
    response: walletStatusSchema,
    errors: ['WALLET_STORE_CORRUPT'],
  }),
  'wallet.create': channel({
    doc: 'Create a key from new BIP-39 words, stored in the OS keychain. Answers the words ONCE (the only answer of the contract that carries them), with the 3 fixed positions the backup check asks.',
    request: z.object({ label: labelSchema.optional() }),
    response: z.object({ keyId: keyIdSchema, mnemonic: z.string(), account: accountSchema, positions: positionsSchema }),
    errors: ['KEYCHAIN_UNAVAILABLE'],
  }),
  'wallet.backupChallenge': channel({
    doc: "The key's fixed word positions (1-based, chosen at creation) and the tries left. Refused once the backup is confirmed.",
    request: z.object({ keyId: keyIdSchema }),
    response: backupChallengeSchema,
    errors: ['WALLET_KEY_UNKNOWN', 'WALLET_BACKUP_CONFIRMED'],
  }),
  'wallet.confirmBackup': channel({
    doc: 'Check the words at the fixed positions against the keychain. Answers pass or fail only (never which word), 3 tries with a growing delay, then WALLET_BACKUP_LOCKED_OUT until the words are shown again (wallet.revealWords).',
    request: z.object({
      keyId: keyIdSchema,
      words: z.array(z.object({ position: z.number().int().min(1).max(24), word: z.string().max(16) })).length(3),
    }),
    response: keyInfoSchema,
    errors: [
      'WALLET_KEY_UNKNOWN',
      'WALLET_BACKUP_MISMATCH',
      'WALLET_BACKUP_TOO_SOON',
      'WALLET_BACKUP_LOCKED_OUT',
      'WALLET_BACKUP_CONFIRMED',
      'KEYCHAIN_UNAVAILABLE',
      'KEYCHAIN_ENTRY_MISSING',
    ],
  }),
  'wallet.revealWords': channel({
    doc: "Show a key's recovery words again, on the approval surface only, to start the backup check over. Answers after the person closed them there (new positions, tries reset); never the words.",
    request: z.object({ keyId: keyIdSchema }),
    response: backupChallengeSchema,
    errors: [
      'WALLET_KEY_UNKNOWN',
      'WALLET_BACKUP_CONFIRMED',
      'KEYCHAIN_UNAVAILABLE',
      'KEYCHAIN_ENTRY_MISSING',
      'APPROVAL_REJECTED',
      'APPROVAL_TIMEOUT',
      'APPROVAL_CANCELLED',
      'APPROVAL_QUEUE_FULL',
    ],
  }),
  'wallet.import': channel({
    doc: 'Import recovery words or a private key into the OS keychain.',
    request: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('mnemonic'), mnemonic: z.string().max(512), label: labelSchema.optional() }),
      z.object({ kind: z.literal('privateKey'), privateKey: z.string().max(80), label: labelSchema.optional() }),
    ]),
    response: z.object({ keyId: keyIdSchema, account: accountSchema }),
    errors: ['WALLET_IMPORT_INVALID', 'WALLET_KEY_EXISTS', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'wallet.accounts': channel({
    doc: 'Every account: address, label, key, HD path.',
    request: z.object({}),
    response: z.object({ accounts: z.array(accountSchema) }),
    errors: [],
  }),
  'wallet.addAccount': channel({
    doc: "The next HD account (m/44'/60'/0'/0/i) of a key created from words. Needs the wallet unlocked.",
    request: z.object({ keyId: keyIdSchema, label: labelSchema.optional() }),
    response: accountSchema,
    errors: ['WALLET_LOCKED', 'WALLET_KEY_UNKNOWN', 'WALLET_NOT_HD'],
  }),
  'wallet.rename': channel({
    doc: 'Change an account label.',
    request: z.object({ address: addressSchema, label: labelSchema }),
    response: accountSchema,
    errors: ['WALLET_ACCOUNT_UNKNOWN'],
  }),
  'wallet.remove': channel({
    doc: "Forget an account. With a key's last account the key is deleted from the keychain, which waits for a person's approval like a signature.",
    request: z.object({ address: addressSchema }),
    response: z.object({ address: addressSchema, keyRemoved: z.boolean() }),
    errors: ['WALLET_ACCOUNT_UNKNOWN', 'KEYCHAIN_UNAVAILABLE', 'APPROVAL_REJECTED', 'APPROVAL_TIMEOUT', 'APPROVAL_CANCELLED', 'APPROVAL_QUEUE_FULL'],
  }),
  'wallet.unlock': channel({
    doc: 'Read the keys from the OS keychain into main-process memory until auto-lock (the OS may ask).',
    request: z.object({}),
    response: walletStatusSchema,
    errors: ['WALLET_EMPTY', 'KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_ENTRY_MISSING'],
  }),
  'wallet.lock': channel({
    doc: 'Drop the keys from memory; waiting approvals are cancelled.',
    request: z.object({}),
    response: walletStatusSchema,
    errors: [],
  }),
  'wallet.balances': channel({
    doc: 'Native balance of every account on the connected chain, in wei.',
    request: z.object({}),
    response: z.object({
      chainId: decimalSchema,
      balances: z.array(z.object({ address: addressSchema, wei: decimalSchema })),
    }),
    errors: ['WALLET_NO_CHAIN'],
  }),
  'wallet.pendingApprovals': channel({
    doc: 'Requests waiting for a person on the approval surface (summaries only).',
    request: z.object({}),
    response: z.object({ approvals: z.array(approvalSummarySchema) }),
    errors: [],
  }),
  'wallet.revealApproval': channel({
    doc: 'Ask the host to show the waiting approval prompt again (raise its window, or deliver its page again). Answers only whether something was shown: never its address.',
    request: z.object({}),
    response: z.object({ revealed: z.boolean() }),
    errors: [],
  }),
  'wallet.cancelApproval': channel({
    doc: 'Withdraw a waiting request; it signs nothing.',
    request: z.object({ id: z.string().max(64) }),
    response: z.object({ cancelled: z.boolean() }),
    errors: [],
  }),
  'wallet.requestSignature': channel({
    doc: 'Sign typed data or a message, or send a transaction; answers only after a person approved it on the approval surface.',
    request: signatureRequestSchema,
    response: signatureResultSchema,
    errors: [
      'WALLET_LOCKED',
      'WALLET_ACCOUNT_UNKNOWN',
      'WALLET_BACKUP_UNCONFIRMED',
      'WALLET_NO_CHAIN',
      'WALLET_NO_LEDGER',
      'WALLET_CHAIN_MISMATCH',
      'WALLET_FOREIGN_CONTRACT',
      'WALLET_REQUEST_INVALID',
      'WALLET_SEND_FAILED',
      'APPROVAL_REJECTED',
      'APPROVAL_TIMEOUT',
      'APPROVAL_CANCELLED',
      'APPROVAL_QUEUE_FULL',
    ],
  }),
};

export const walletEvents = {
  'wallet.approvalPending': event({
    doc: 'A request waits for a person on the approval surface: say "approve in the approval window".',
    payload: approvalSummarySchema,
  }),
  'wallet.approvalSettled': event({
    doc: 'A request left the queue.',
    payload: z.object({ id: z.string(), outcome: z.enum(['approved', 'rejected', 'timeout', 'cancelled']) }),
  }),
  'wallet.locked': event({
    doc: 'The keys were dropped from memory.',
    payload: z.object({ reason: z.enum(['explicit', 'timeout', 'removed']) }),
  }),
  'wallet.unlocked': event({
    doc: 'The keys are in memory until autoLockAt.',
    payload: z.object({ autoLockAt: z.number().int() }),
  }),
  'wallet.changed': event({
    doc: 'Keys or accounts changed (created, imported, renamed, removed, backup confirmed).',
    payload: z.object({}),
  }),
};
