/**
 * What the market needs from the wallet (main/wallet, issue 6). Every call may wait for a person to
 * approve on the wallet's separate approval surface, and may reject with the wallet's own error
 * (declined, locked): the market passes those through unchanged.
 *
 * An ethers `Wallet` connected to a provider satisfies this interface, which is what tests use.
 */
export interface TypedDataDomainLike {
  readonly name: string;
  readonly version: string;
  readonly chainId: bigint;
  readonly verifyingContract: string;
}

export interface MarketSigner {
  getAddress(): Promise<string>;
  /** EIP-712 signature of `value` under `domain`/`types` (eth_signTypedData_v4 semantics). */
  signTypedData(
    domain: TypedDataDomainLike,
    types: Record<string, Array<{ name: string; type: string }>>,
    value: Record<string, unknown>,
  ): Promise<string>;
  /** Signs and broadcasts; the market waits for the receipt itself. */
  sendTransaction(tx: { to: string; data: string; value?: bigint }): Promise<{ hash: string }>;
}
