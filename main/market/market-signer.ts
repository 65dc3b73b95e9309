import type { ApprovalCheck } from '../api/wallet.js';

/**
 * What the market needs from the wallet (main/wallet, issue 6). Every call may wait for a person to
 * approve on the wallet's separate approval surface, and may reject with the wallet's own error
 * (declined, locked): the market passes those through unchanged.
 *
 * One approval per act: an offer is signed and published in one approval (`publishOffer`), a
 * purchase's transactions (a token allowance and the fill) are approved together (`sendCalls`).
 * `checks` are the market's findings for the person to weigh (price below feed-in, a window the
 * operator may not anchor in time, …), shown beside the wallet's own.
 */
export interface TypedDataDomainLike {
  readonly name: string;
  readonly version: string;
  readonly chainId: bigint;
  readonly verifyingContract: string;
}

export interface MarketCall {
  readonly to: string;
  readonly data: string;
  readonly value?: bigint;
  /** The most gas the call may use, for a call that cannot be estimated before the one before it is mined. */
  readonly gasLimit?: bigint;
}

export interface MarketSigner {
  getAddress(): Promise<string>;
  /**
   * Signs the offer (EIP-712, eth_signTypedData_v4 semantics) and sends EnergyLedger.publishOffer
   * with it, after one approval. Resolves with the signature and the publishing transaction.
   */
  publishOffer(
    domain: TypedDataDomainLike,
    types: Record<string, Array<{ name: string; type: string }>>,
    value: Record<string, unknown>,
    checks: readonly ApprovalCheck[],
  ): Promise<{ signature: string; hash: string }>;
  /** Sends the calls in order, each after the one before it is mined, after one approval. */
  sendCalls(calls: readonly MarketCall[], checks: readonly ApprovalCheck[]): Promise<{ hashes: string[] }>;
  /** Signs and broadcasts; the market waits for the receipt itself. */
  sendTransaction(tx: { to: string; data: string; value?: bigint }): Promise<{ hash: string }>;
}
