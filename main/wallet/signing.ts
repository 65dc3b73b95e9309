import {
  Contract, VoidSigner, ZeroAddress, getAddress, type HDNodeWallet, type Provider, type TransactionRequest as EthersTx, type Wallet as EthersWallet,
} from 'ethers';
import { WattletError } from '../api/errors.js';
import type {
  ApprovalCheck, CallView, MarketCallView, MessageRequest, PurchaseView, SignatureResult, TransactionRequest, TypedDataRequest,
} from '../api/wallet.js';
import type { AccountStore } from './account-store.js';
import type { ApprovalQueue } from './approval-queue.js';
import type { KnownContract } from './contract-abis.js';
import type { TokenInfo } from './field-units.js';
import type { KeySession } from './key-session.js';
import { messageBytes, messageDisplay } from './message-display.js';
import { offerCallView, reclaimFigures, settleFigures, type FillReading, type OfferCallFacts, type OfferRecordReading } from './offer-call-display.js';
import { offerView, type Household, type OfferToken } from './offer-display.js';
import { ENERGY_OFFER_TYPEHASH } from './offer-type.js';
import { guardTransaction, guardTypedData } from './request-guards.js';
import { decodeApprove, decodeFill, decodeOfferCall, ledgerCalls, publishOfferData } from './ledger-calls.js';
import { purchaseView } from './purchase-display.js';
import { decodeCall, formatNative } from './transaction-display.js';
import { checkTypedData } from './typed-data-check.js';
import { typedDataFields } from './typed-data-display.js';
import { signerOf } from './wallet-secret.js';

export interface SigningDeps {
  store: AccountStore;
  session: KeySession;
  queue: ApprovalQueue;
  provider: () => Provider | null;
  energyLedgerAddress: () => string | null;
  contracts: () => readonly KnownContract[];
  native: TokenInfo;
  household: () => Household | null;
}

const ERC20_META = ['function symbol() view returns (string)', 'function decimals() view returns (uint8)'];

/**
 * The most gas publishing an offer may use: publishOffer stores one record (~10 slots) and checks
 * a signature, ~200k gas. The fee shown is this limit times the max fee per gas; the wallet never
 * sends with more.
 */
export const PUBLISH_GAS_LIMIT = 400_000n;

/** A request to sign an EnergyLedger offer and publish it, approved once. */
export type OfferPublishRequest = TypedDataRequest & { readonly checks?: readonly ApprovalCheck[] };

/** Transactions approved together and sent in order (EIP-5792's wallet_sendCalls). */
export interface CallsRequest {
  readonly from: string;
  readonly calls: ReadonlyArray<{ readonly to: string; readonly data: string; readonly value?: string; readonly gasLimit?: string }>;
  readonly checks?: readonly ApprovalCheck[];
}

type KeySigner = HDNodeWallet | EthersWallet;
interface Fee {
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint | null;
}

/**
 * Every path to a signature: checks (locked, account, backup, chain, contract), a decoded view,
 * the approval queue, and only then the key. The key is read from the session after approval,
 * never before, so a rejected or cancelled request has not even touched it.
 */
export class Signing {
  constructor(private readonly d: SigningDeps) {}

  async signTypedData(req: TypedDataRequest): Promise<SignatureResult & { kind: 'typedData' }> {
    const account = this.#preflight(req.from);
    // Structure first, chain second: a request that would sign something else than it shows is
    // refused as such whether or not a chain answers.
    const checked = checkTypedData(req);
    const connected = await this.#chainId();
    guardTypedData(req, connected, this.d.energyLedgerAddress());
    const fields = await typedDataFields(checked, req.message, this.d.native, (a) => this.#token(a));
    const offer = checked.typeHash === ENERGY_OFFER_TYPEHASH ? await this.#offer(req.message) : null;
    const domain = {
      name: req.domain.name ?? null,
      version: req.domain.version ?? null,
      chainId: connected.toString(),
      verifyingContract: getAddress(req.domain.verifyingContract ?? ''),
      salt: req.domain.salt ?? null,
    };
    await this.d.queue.request(
      {
        kind: 'typedData',
        from: account.address,
        chainId: connected.toString(),
        domain,
        primaryType: checked.primaryType,
        typeHash: checked.typeHash,
        fields,
        offer,
        publish: null,
        checks: [],
      },
      offer
        ? `Offer of ${offer.energyKWh} kWh on chain ${connected}`
        : `${checked.primaryType} for ${domain.name ?? domain.verifyingContract} on chain ${connected}`,
    );
    const signer = signerOf(this.d.session.secret(account.keyId), account.index);
    // The checked types: ethers derives the same root from them that the person was shown.
    const signature = await signer.signTypedData(req.domain, checked.types, req.message);
    this.d.session.touch();
    return { kind: 'typedData', signature };
  }

  async signMessage(req: MessageRequest): Promise<SignatureResult & { kind: 'message' }> {
    const account = this.#preflight(req.from);
    if (req.encoding === 'hex' && !/^0x([0-9a-fA-F]{2})*$/.test(req.message)) {
      throw new WattletError('WALLET_REQUEST_INVALID', 'A hex message is 0x followed by whole bytes', { reason: 'hex-message' });
    }
    const bytes = messageBytes(req.message, req.encoding);
    const shown = messageDisplay(bytes);
    await this.d.queue.request(
      { kind: 'message', from: account.address, ...shown },
      `Message of ${bytes.length} bytes`,
    );
    const signer = signerOf(this.d.session.secret(account.keyId), account.index);
    const signature = await signer.signMessage(bytes);
    this.d.session.touch();
    return { kind: 'message', signature };
  }

  async sendTransaction(req: TransactionRequest): Promise<SignatureResult & { kind: 'transaction' }> {
    const account = this.#preflight(req.from);
    const provider = this.#provider();
    const connected = await this.#chainId();
    guardTransaction(req, connected);
    // Filled without the key (VoidSigner): gas and fees are estimated before anyone is asked.
    const draft: EthersTx = {
      to: req.to,
      value: BigInt(req.value),
      data: req.data,
      chainId: connected,
      ...(req.gasLimit ? { gasLimit: BigInt(req.gasLimit) } : {}),
    };
    let tx: EthersTx;
    try {
      tx = await new VoidSigner(account.address, provider).populateTransaction(draft);
    } catch (e) {
      throw new WattletError('WALLET_REQUEST_INVALID', `The transaction cannot be prepared: ${shortError(e)}`, {
        reason: 'cannot-prepare',
        to: req.to,
      });
    }
    const gasLimit = BigInt(tx.gasLimit ?? 0n);
    const maxFeeWei = gasLimit * BigInt(tx.maxFeePerGas ?? tx.gasPrice ?? 0n);
    const value = BigInt(req.value);
    const call = decodeCall(req.data, this.d.contracts(), this.d.native);
    const market = await this.#describeOfferCall(account.address, req, provider);
    await this.d.queue.request(
      {
        kind: 'transaction',
        from: account.address,
        chainId: connected.toString(),
        to: getAddress(req.to),
        valueWei: value.toString(),
        value: formatNative(value, this.d.native),
        nativeSymbol: this.d.native.symbol,
        gasLimit: gasLimit.toString(),
        maxFeeWei: maxFeeWei.toString(),
        maxFee: formatNative(maxFeeWei, this.d.native),
        call,
        selector: req.data.length >= 10 ? req.data.slice(0, 10) : null,
        dataBytes: (req.data.length - 2) / 2,
        market,
      },
      call
        ? `${call.contract}.${call.name} on chain ${connected}`
        : `${formatNative(value, this.d.native)} ${this.d.native.symbol} to ${getAddress(req.to)} on chain ${connected}`,
    );
    // The nonce is taken after approval: requests queued together must not share one.
    const nonce = await provider.getTransactionCount(account.address, 'pending');
    const signer = signerOf(this.d.session.secret(account.keyId), account.index);
    const signed = await signer.signTransaction({ ...tx, from: account.address, nonce });
    this.d.session.touch();
    try {
      const sent = await provider.broadcastTransaction(signed);
      return { kind: 'transaction', hash: sent.hash };
    } catch (e) {
      throw new WattletError('WALLET_SEND_FAILED', `The chain refused the transaction: ${shortError(e)}`, {
        chainId: connected.toString(),
      });
    }
  }

  /**
   * One approval for an offer: the person sees the offer in plain terms, every signed field, the
   * checks and the publishing transaction (to the EnergyLedger, with its most fee); approving
   * signs the offer and sends EnergyLedger.publishOffer(offer, signature), built here from the
   * very message shown. Anything but an EnergyLedger offer is refused before anyone is asked.
   */
  async publishOffer(req: OfferPublishRequest): Promise<{ signature: string; hash: string }> {
    const account = this.#preflight(req.from);
    const checked = checkTypedData(req);
    const connected = await this.#chainId();
    guardTypedData(req, connected, this.d.energyLedgerAddress());
    if (checked.typeHash !== ENERGY_OFFER_TYPEHASH) {
      throw new WattletError('WALLET_REQUEST_INVALID', 'Only an EnergyLedger offer is published this way', { reason: 'not-an-offer' });
    }
    const provider = this.#provider();
    const ledger = getAddress(this.d.energyLedgerAddress() ?? '');
    const fields = await typedDataFields(checked, req.message, this.d.native, (a) => this.#token(a));
    const offer = await this.#offer(req.message);
    const fee = await this.#fee(provider);
    const maxFeeWei = PUBLISH_GAS_LIMIT * fee.maxFeePerGas;
    const checks: ApprovalCheck[] = [...(req.checks ?? [])];
    if (offer.seller !== account.address) {
      checks.unshift({ id: 'sellerNotSigner', severity: 'danger', source: 'wallet', params: { seller: offer.seller } });
    }
    await this.d.queue.request(
      {
        kind: 'typedData',
        from: account.address,
        chainId: connected.toString(),
        domain: this.#domainView(req, connected),
        primaryType: checked.primaryType,
        typeHash: checked.typeHash,
        fields,
        offer,
        publish: {
          to: ledger,
          call: 'EnergyLedger.publishOffer(offer, signature)',
          gasLimit: PUBLISH_GAS_LIMIT.toString(),
          maxFeeWei: maxFeeWei.toString(),
          maxFee: formatNative(maxFeeWei, this.d.native),
          nativeSymbol: this.d.native.symbol,
        },
        checks,
      },
      `Offer of ${offer.energyKWh} kWh, published on chain ${connected}`,
    );
    const signer = signerOf(this.d.session.secret(account.keyId), account.index);
    const signature = await signer.signTypedData(req.domain, checked.types, req.message);
    const hash = await this.#sendApproved(account.address, signer, { to: ledger, data: publishOfferData(req.message, signature), value: 0n }, PUBLISH_GAS_LIMIT, fee, connected);
    this.d.session.touch();
    return { signature, hash };
  }

  /**
   * One approval for several transactions, sent in order, each only after the one before it was
   * mined (a token purchase: the allowance, then the fill). Each is decoded as a lone transaction
   * is; a fill of an EnergyLedger offer is described from the ledger's record of that offer. The
   * fee shown is the sum of each call's gas limit times the max fee per gas; a call that would
   * need more gas than shown is not sent (the calls before it stay sent: say so in the error).
   */
  async sendCalls(req: CallsRequest): Promise<{ hashes: string[] }> {
    const account = this.#preflight(req.from);
    const provider = this.#provider();
    const connected = await this.#chainId();
    if (req.calls.length === 0 || req.calls.length > 4) {
      throw new WattletError('WALLET_REQUEST_INVALID', 'A batch holds one to four calls', { reason: 'batch-size' });
    }
    for (const c of req.calls) guardTransaction({ kind: 'transaction', from: account.address, to: c.to, value: c.value ?? '0', data: c.data }, connected);
    const fee = await this.#fee(provider);
    const ledger = this.d.energyLedgerAddress();
    const views: CallView[] = [];
    const limits: bigint[] = [];
    for (const c of req.calls) {
      const value = BigInt(c.value ?? '0');
      let gasLimit: bigint;
      try {
        gasLimit = await provider.estimateGas({ from: account.address, to: c.to, data: c.data, value });
      } catch (e) {
        // A call that depends on the one before it (a fill after its allowance) cannot be estimated
        // yet: the caller's limit stands in, and is the most it may use.
        if (!c.gasLimit) {
          throw new WattletError('WALLET_REQUEST_INVALID', `The call cannot be prepared: ${shortError(e)}`, { reason: 'cannot-prepare', to: c.to });
        }
        gasLimit = BigInt(c.gasLimit);
      }
      if (c.gasLimit && BigInt(c.gasLimit) > gasLimit) gasLimit = BigInt(c.gasLimit);
      limits.push(gasLimit);
      views.push({
        to: getAddress(c.to),
        valueWei: value.toString(),
        value: formatNative(value, this.d.native),
        gasLimit: gasLimit.toString(),
        call: decodeCall(c.data, this.d.contracts(), this.d.native),
        selector: c.data.length >= 10 ? c.data.slice(0, 10) : null,
        dataBytes: (c.data.length - 2) / 2,
      });
    }
    const { purchase, checks } = await this.#describeCalls(account.address, req, ledger, provider);
    const maxFeeWei = limits.reduce((s, g) => s + g, 0n) * fee.maxFeePerGas;
    await this.d.queue.request(
      {
        kind: 'calls',
        from: account.address,
        chainId: connected.toString(),
        calls: views,
        maxFeeWei: maxFeeWei.toString(),
        maxFee: formatNative(maxFeeWei, this.d.native),
        nativeSymbol: this.d.native.symbol,
        purchase,
        checks: [...checks, ...(req.checks ?? [])],
      },
      purchase ? `Purchase of ${purchase.energyKWh} kWh on chain ${connected}` : `${req.calls.length} transactions on chain ${connected}`,
    );
    const signer = signerOf(this.d.session.secret(account.keyId), account.index);
    const hashes: string[] = [];
    for (const [i, c] of req.calls.entries()) {
      try {
        const hash = await this.#sendApproved(account.address, signer, { to: c.to, data: c.data, value: BigInt(c.value ?? '0') }, limits[i]!, fee, connected);
        hashes.push(hash);
        const receipt = await provider.waitForTransaction(hash, 1, 120_000);
        if (!receipt || receipt.status !== 1) {
          throw new WattletError('WALLET_SEND_FAILED', `Call ${i + 1} of ${req.calls.length} reverted`, { chainId: connected.toString(), sent: i + 1, hash });
        }
      } catch (e) {
        if (e instanceof WattletError && hashes.length > 0) {
          throw new WattletError(e.code, e.message, { ...e.facts, sent: hashes.length, calls: req.calls.length }, { cause: e });
        }
        throw e;
      }
    }
    this.d.session.touch();
    return { hashes };
  }

  /** What the wallet can tell of a batch by itself: a fill described from the ledger, and its own checks. */
  async #describeCalls(
    from: string,
    req: CallsRequest,
    ledger: string | null,
    provider: Provider,
  ): Promise<{ purchase: PurchaseView | null; checks: ApprovalCheck[] }> {
    const checks: ApprovalCheck[] = [];
    let purchase: PurchaseView | null = null;
    const fill = req.calls.find((c) => ledger !== null && c.to.toLowerCase() === ledger.toLowerCase() && decodeFill(c.data) !== null);
    if (fill && ledger) {
      const args = decodeFill(fill.data)!;
      // Not readable: the page shows the decoded calls alone.
      const offer = await this.#ledgerOffer(new Contract(ledger, ledgerCalls, provider), args.offerHash);
      if (offer) purchase = purchaseView(args.offerHash, offer.record, args.energyWh, offer.token, this.d.household(), offer.grace);
    }
    if (purchase) {
      const seller = purchase.seller.toLowerCase();
      if (seller === from.toLowerCase()) checks.push({ id: 'buyFromYourself', severity: 'danger', source: 'wallet', params: {} });
      else {
        const mine = this.d.store.accounts().find((a) => a.address.toLowerCase() === seller);
        if (mine) checks.push({ id: 'buyFromYourOtherAccount', severity: 'warning', source: 'wallet', params: { label: mine.label } });
      }
    }
    for (const c of req.calls) {
      const approve = decodeApprove(c.data);
      if (!approve) continue;
      if (!ledger || approve.spender.toLowerCase() !== ledger.toLowerCase()) {
        checks.push({ id: 'approveForeignSpender', severity: 'danger', source: 'wallet', params: { spender: approve.spender } });
      } else if (purchase && !purchase.token.native && c.to.toLowerCase() === purchase.token.address.toLowerCase() && approve.amount > BigInt(purchase.amount.units)) {
        checks.push({ id: 'allowanceAboveCost', severity: 'warning', source: 'wallet', params: { allowance: approve.amount.toString(), cost: purchase.amount.units } });
      }
    }
    return { purchase, checks };
  }

  /**
   * A cancel, settle or reclaim of an EnergyLedger offer in plain terms, from the ledger's own record
   * of the offer (as a purchase is), or null for any other call or when the offer cannot be read (the
   * page then shows the decoded call alone). What the call moves is read from the chain as it stands:
   * a settlement's delivered energy is the contract's own walk over the intervals the call carries,
   * worked out only once the chain accepts the call as it is (eth_call), so they are the anchored
   * ones; a reclaim's amount is the contract's rule over the buyer's fill.
   */
  async #describeOfferCall(from: string, req: TransactionRequest, provider: Provider): Promise<MarketCallView | null> {
    const ledger = this.d.energyLedgerAddress();
    if (!ledger || req.to.toLowerCase() !== ledger.toLowerCase()) return null;
    const decoded = decodeOfferCall(req.data);
    if (!decoded) return null;
    const c = new Contract(ledger, ledgerCalls, provider);
    const offer = await this.#ledgerOffer(c, decoded.offerHash);
    if (!offer) return null;
    let facts: OfferCallFacts;
    let chainNow: bigint;
    const accepted = await this.#runs(provider, from, req);
    try {
      chainNow = BigInt((await provider.getBlock('latest'))?.timestamp ?? 0);
      if (decoded.call === 'cancel') {
        facts = { call: 'cancel' };
      } else if (decoded.call === 'reclaim') {
        const fill = readFill(await c.getFunction('fillOf')(decoded.offerHash, from));
        facts = { call: 'reclaim', fill, ...reclaimFigures(offer.record, fill, chainNow, offer.grace) };
      } else {
        const buyers = (await c.getFunction('buyersOf')(decoded.offerHash)) as string[];
        let figures = null;
        if (accepted) {
          const meterId = offer.record.meterId;
          const [used, fills] = await Promise.all([
            Promise.all(decoded.intervals.map(async (l) => BigInt(await c.getFunction('usedExportWh')(meterId, l.intervalStart)))),
            Promise.all(buyers.map(async (b) => readFill(await c.getFunction('fillOf')(decoded.offerHash, b)))),
          ]);
          figures = settleFigures(offer.record.filledWh, decoded.intervals, used, fills.map((f) => f.paid));
        }
        facts = { call: 'settle', buyers: buyers.length, figures };
      }
    } catch {
      return null; // the ledger did not answer: the page shows the decoded call alone
    }
    return offerCallView({ offerHash: decoded.offerHash, record: offer.record, token: offer.token, household: this.d.household(), chainNow, accepted }, facts);
  }

  /** True when the chain runs the call as it stands now (eth_call from the account). */
  async #runs(provider: Provider, from: string, req: TransactionRequest): Promise<boolean> {
    try {
      await provider.call({ from, to: req.to, data: req.data, value: BigInt(req.value) });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The ledger's record of a published offer, its token as read from the chain, and the time a buyer
   * waits for a settlement: what a purchase and every later call on the offer are described from.
   * Null when the ledger does not answer or knows no such offer.
   */
  async #ledgerOffer(ledger: Contract, offerHash: string): Promise<{ record: OfferRecordReading; token: OfferToken; grace: bigint } | null> {
    try {
      const [r, grace] = (await Promise.all([ledger.getFunction('offerRecord')(offerHash), ledger.getFunction('SETTLEMENT_GRACE')()])) as [Record<string, unknown>, bigint];
      if (/^0x0{40}$/i.test(String(r.seller))) return null;
      const address = getAddress(String(r.token));
      const native = address === ZeroAddress;
      const info = native ? this.d.native : await this.#token(address);
      const big = (k: string) => BigInt(r[k] as bigint);
      const record: OfferRecordReading = {
        seller: getAddress(String(r.seller)),
        meterId: String(r.meterId),
        token: address,
        pricePerKWh: big('pricePerKWh'),
        deliveryStart: big('deliveryStart'),
        deliveryEnd: big('deliveryEnd'),
        energyWh: big('energyWh'),
        filledWh: big('filledWh'),
        provenWh: big('provenWh'),
        escrow: big('escrow'),
        settled: Boolean(r.settled),
      };
      return { record, token: { address, native, info }, grace: BigInt(grace) };
    } catch {
      return null;
    }
  }

  /**
   * Sends one approved transaction: gas estimated now and refused when above the limit shown,
   * the fee per gas never above the one shown, the nonce taken now (after approval).
   */
  async #sendApproved(from: string, signer: KeySigner, tx: { to: string; data: string; value: bigint }, gasCap: bigint, fee: Fee, chainId: bigint): Promise<string> {
    const provider = this.#provider();
    let populated: EthersTx;
    try {
      populated = await new VoidSigner(from, provider).populateTransaction({ ...tx, chainId });
    } catch (e) {
      throw new WattletError('WALLET_SEND_FAILED', `The transaction cannot be prepared: ${shortError(e)}`, { chainId: chainId.toString() });
    }
    const gas = BigInt(populated.gasLimit ?? 0n);
    if (gas > gasCap) {
      throw new WattletError('WALLET_REQUEST_INVALID', `It needs ${gas} gas, more than the ${gasCap} approved`, { reason: 'fee-above-approved' });
    }
    const capped: EthersTx = { ...populated, gasLimit: gasCap };
    if (populated.maxFeePerGas !== undefined && populated.maxFeePerGas !== null) {
      capped.maxFeePerGas = BigInt(populated.maxFeePerGas) > fee.maxFeePerGas ? fee.maxFeePerGas : BigInt(populated.maxFeePerGas);
      const tip = BigInt(populated.maxPriorityFeePerGas ?? 0n);
      capped.maxPriorityFeePerGas = tip > capped.maxFeePerGas ? capped.maxFeePerGas : tip;
    } else if (populated.gasPrice !== undefined && populated.gasPrice !== null) {
      capped.gasPrice = BigInt(populated.gasPrice) > fee.maxFeePerGas ? fee.maxFeePerGas : BigInt(populated.gasPrice);
    }
    const nonce = await provider.getTransactionCount(from, 'pending');
    const signed = await signer.signTransaction({ ...capped, from, nonce });
    try {
      return (await provider.broadcastTransaction(signed)).hash;
    } catch (e) {
      throw new WattletError('WALLET_SEND_FAILED', `The chain refused the transaction: ${shortError(e)}`, { chainId: chainId.toString() });
    }
  }

  async #fee(provider: Provider): Promise<Fee> {
    try {
      const f = await provider.getFeeData();
      const max = f.maxFeePerGas ?? f.gasPrice ?? 0n;
      return { maxFeePerGas: max, maxPriorityFeePerGas: f.maxPriorityFeePerGas };
    } catch (e) {
      throw new WattletError('WALLET_NO_CHAIN', `The chain does not answer: ${shortError(e)}`, {});
    }
  }

  #domainView(req: TypedDataRequest, connected: bigint) {
    return {
      name: req.domain.name ?? null,
      version: req.domain.version ?? null,
      chainId: connected.toString(),
      verifyingContract: getAddress(req.domain.verifyingContract ?? ''),
      salt: req.domain.salt ?? null,
    };
  }

  /** Refusals that need no chain: locked, unknown account, backup not confirmed. */
  #preflight(from: string) {
    if (!this.d.session.unlocked) throw new WattletError('WALLET_LOCKED', 'The wallet is locked; unlock it first', {});
    const account = this.d.store.account(from);
    const key = this.d.store.key(account.keyId);
    if (!key.backupConfirmed) {
      throw new WattletError('WALLET_BACKUP_UNCONFIRMED', 'Confirm the backup of the recovery words before signing', {
        keyId: key.id,
      });
    }
    return account;
  }

  #provider(): Provider {
    const p = this.d.provider();
    if (!p) throw new WattletError('WALLET_NO_CHAIN', 'No chain is connected', {});
    return p;
  }

  async #chainId(): Promise<bigint> {
    const provider = this.#provider();
    try {
      return (await provider.getNetwork()).chainId;
    } catch (e) {
      throw new WattletError('WALLET_NO_CHAIN', `The chain does not answer: ${shortError(e)}`, {});
    }
  }

  async #offer(message: Record<string, unknown>) {
    const address = getAddress(String(message.token));
    const native = address === ZeroAddress;
    const info = native ? this.d.native : await this.#token(address);
    return offerView(message, { address, native, info }, this.d.household());
  }

  async #token(address: string): Promise<TokenInfo | null> {
    const provider = this.d.provider();
    if (!provider) return null;
    try {
      const c = new Contract(address, ERC20_META, provider);
      const [symbol, decimals] = await Promise.all([c.getFunction('symbol')(), c.getFunction('decimals')()]);
      // A token names itself: only letters, digits and a few marks, so no control or bidi
      // character can rearrange what the surface shows around it.
      const clean = String(symbol).replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 12);
      const places = Number(decimals);
      if (!clean || !Number.isInteger(places) || places < 0 || places > 36) return null;
      return { symbol: clean, decimals: places };
    } catch {
      return null; // not an ERC-20 we can read: the surface shows base units with the address
    }
  }
}

function readFill(f: unknown): FillReading {
  const r = f as { energyWh: bigint; paid: bigint; reclaimed: boolean };
  return { energyWh: BigInt(r.energyWh), paid: BigInt(r.paid), reclaimed: Boolean(r.reclaimed) };
}

function shortError(e: unknown): string {
  const err = e as { shortMessage?: string; message?: string };
  return String(err.shortMessage ?? err.message ?? e).slice(0, 160);
}
