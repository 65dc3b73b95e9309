import {
  AbstractSigner,
  TypedDataEncoder,
  hexlify,
  resolveAddress,
  type Provider,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import { WattletError } from '../api/errors.js';
import type { WalletService } from './wallet-service.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * An ethers Signer for the ledger and market rooms, so `new Contract(address, abi, signer)`
 * works as usual while every signature still waits for a person on the approval surface.
 * It holds no key: each call goes through WalletService and its checks.
 */
export class ApprovingSigner extends AbstractSigner {
  constructor(
    private readonly wallet: WalletService,
    readonly address: string,
    provider: Provider | null = null,
  ) {
    super(provider);
  }

  override getAddress(): Promise<string> {
    return Promise.resolve(this.address);
  }

  override connect(provider: Provider | null): ApprovingSigner {
    return new ApprovingSigner(this.wallet, this.address, provider);
  }

  /** Only sending is offered: a signed transaction that is not sent at once would outlive the approval. */
  override signTransaction(_tx: TransactionRequest): Promise<string> {
    return Promise.reject(
      new WattletError('WALLET_REQUEST_INVALID', 'Use sendTransaction: the wallet does not hand out signed transactions', {
        reason: 'sign-only-transaction',
      }),
    );
  }

  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    if (!tx.to) throw new WattletError('WALLET_REQUEST_INVALID', 'Contract creation is not offered by the wallet', { reason: 'contract-creation' });
    const provider = this.provider;
    if (!provider) throw new WattletError('WALLET_NO_CHAIN', 'The signer has no provider', {});
    const { hash } = await this.wallet.sendTransaction({
      from: this.address,
      to: await resolveAddress(tx.to, provider),
      value: BigInt(tx.value ?? 0n).toString(),
      data: tx.data ? hexlify(tx.data) : '0x',
      ...(tx.chainId !== undefined && tx.chainId !== null ? { chainId: BigInt(tx.chainId).toString() } : {}),
      ...(tx.gasLimit !== undefined && tx.gasLimit !== null ? { gasLimit: BigInt(tx.gasLimit).toString() } : {}),
    });
    const sent = await provider.getTransaction(hash);
    if (!sent) throw new WattletError('WALLET_SEND_FAILED', `The chain does not know ${hash}`, { hash });
    return sent;
  }

  override async signMessage(message: string | Uint8Array): Promise<string> {
    const r =
      typeof message === 'string'
        ? await this.wallet.signMessage({ from: this.address, message })
        : await this.wallet.signMessage({ from: this.address, message: hexlify(message), encoding: 'hex' });
    return r.signature;
  }

  override async signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    const r = await this.wallet.signTypedData({
      from: this.address,
      domain: {
        ...(domain.name ? { name: domain.name } : {}),
        ...(domain.version ? { version: domain.version } : {}),
        ...(domain.chainId !== undefined && domain.chainId !== null ? { chainId: BigInt(domain.chainId).toString() } : {}),
        ...(typeof domain.verifyingContract === 'string' ? { verifyingContract: domain.verifyingContract } : {}),
        ...(domain.salt ? { salt: hexlify(domain.salt) } : {}),
      },
      types: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.map((f) => ({ name: f.name, type: f.type }))])),
      primaryType: primaryTypeOf(types),
      message: toJson(value) as Record<string, Json>,
    });
    return r.signature;
  }
}

/** The root struct as ethers' encoder derives it: the wallet refuses any other primaryType. */
function primaryTypeOf(types: Record<string, TypedDataField[]>): string {
  const { EIP712Domain: _domain, ...structs } = types;
  try {
    return TypedDataEncoder.getPrimaryType(structs);
  } catch {
    throw new WattletError('WALLET_REQUEST_INVALID', 'The typed data has no single primary type', { reason: 'does-not-encode' });
  }
}

/** Values cross the contract as JSON: bigints become decimal strings, bytes become hex. */
function toJson(v: unknown): Json {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return hexlify(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return null;
}
