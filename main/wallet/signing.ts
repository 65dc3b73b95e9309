import {
  Contract, VoidSigner, ZeroAddress, getAddress, type HDNodeWallet, type Provider, type TransactionRequest as EthersTx, type Wallet as EthersWallet,
} from 'ethers';
import { WattletError } from '../api/errors.js';
import type { ApprovalCheck, CallView, MessageRequest, PurchaseView, SignatureResult, TransactionRequest, TypedDataRequest } from '../api/wallet.js';
import type { AccountStore } from './account-store.js';
import type { ApprovalQueue } from './approval-queue.js';
import type { KnownContract } from './contract-abis.js';
import type { TokenInfo } from './field-units.js';
import type { KeySession } from './key-session.js';
import { messageBytes, messageDisplay } from './message-display.js';
import { offerView, type Household } from './offer-display.js';
import { ENERGY_OFFER_TYPEHASH } from './offer-type.js';
import { guardTransaction, guardTypedData } from './request-guards.js';
import { decodeApprove, decodeFill, ledgerCalls, publishOfferData } from './ledger-calls.js';
import { purchaseView, type LedgerOfferRecord } from './purchase-display.js';
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
      const c = new Contract(ledger, ledgerCalls, provider);
      try {
        const [r, grace] = (await Promise.all([c.getFunction('offerRecord')(args.offerHash), c.getFunction('SETTLEMENT_GRACE')()])) as [LedgerOfferRecord, bigint];
        if (!/^0x0{40}$/i.test(String(r.seller))) {
          const address = getAddress(String(r.token));
          const native = address === ZeroAddress;
          const info = native ? this.d.native : await this.#token(address);
          purchase = purchaseView(args.offerHash, r, args.energyWh, { address, native, info }, this.d.household(), BigInt(grace));
        }
      } catch {
        purchase = null; // not readable: the page shows the decoded calls alone
      }
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

function shortError(e: unknown): string {
  const err = e as { shortMessage?: string; message?: string };
  return String(err.shortMessage ?? err.message ?? e).slice(0, 160);
}
