import { Contract, VoidSigner, ZeroAddress, getAddress, type Provider, type TransactionRequest as EthersTx } from 'ethers';
import { WattletError } from '../api/errors.js';
import type { MessageRequest, SignatureResult, TransactionRequest, TypedDataRequest } from '../api/wallet.js';
import type { AccountStore } from './account-store.js';
import type { ApprovalQueue } from './approval-queue.js';
import type { KnownContract } from './contract-abis.js';
import type { TokenInfo } from './field-units.js';
import type { KeySession } from './key-session.js';
import { messageBytes, messageDisplay } from './message-display.js';
import { offerView, type Household } from './offer-display.js';
import { ENERGY_OFFER_TYPEHASH } from './offer-type.js';
import { guardTransaction, guardTypedData } from './request-guards.js';
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
