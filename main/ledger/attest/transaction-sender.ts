/**
 * How the ledger asks the wallet to sign and send a transaction. The wallet room (main/wallet)
 * implements it with its approval queue: it shows `summary` to the person in the approval
 * window, signs with the keychain key only after approval, broadcasts, and resolves the hash —
 * or rejects with its own coded error (e.g. the person declined). The ledger never sees a key.
 * Tests and the CLI use `walletSender` over an ethers Wallet.
 */
export interface LedgerTransactionRequest {
  readonly chainId: number;
  readonly to: string;
  readonly data: string;
  /** What the approval window shows, already decoded (never raw calldata alone). */
  readonly summary: {
    readonly kind: 'ledger.attest';
    readonly meterId: string;
    readonly date: string;
    readonly root: string;
    readonly importWh: string;
    readonly exportWh: string;
  };
}

export interface TransactionSender {
  /** The address that will sign (the meter owner's wallet). */
  address(): Promise<string>;
  /** Resolves the transaction hash once broadcast. */
  send(tx: LedgerTransactionRequest): Promise<string>;
}

/** A sender over anything with ethers' Signer shape (tests, CLI, demo without approvals). */
export function walletSender(signer: {
  getAddress(): Promise<string>;
  sendTransaction(tx: { to: string; data: string; chainId: bigint }): Promise<{ hash: string }>;
}): TransactionSender {
  return {
    address: () => signer.getAddress(),
    async send(tx) {
      const sent = await signer.sendTransaction({ to: tx.to, data: tx.data, chainId: BigInt(tx.chainId) });
      return sent.hash;
    },
  };
}
