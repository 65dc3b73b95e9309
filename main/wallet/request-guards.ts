import { WattletError } from '../api/errors.js';
import type { TransactionRequest, TypedDataRequest } from '../api/wallet.js';

/**
 * Refusals that happen before anyone is asked: a request for another chain could be replayed
 * there, and typed data for another contract could authorise something the person never meant
 * to sell. Both are refused outright rather than shown with a warning.
 */
export function guardChain(requested: bigint | null, connected: bigint, kind: string): void {
  if (requested !== null && requested !== connected) {
    throw new WattletError('WALLET_CHAIN_MISMATCH', `The ${kind} is for chain ${requested}, connected to ${connected}`, {
      requested: requested.toString(),
      connected: connected.toString(),
    });
  }
}

export function guardTypedData(req: TypedDataRequest, connected: bigint, ledger: string | null): void {
  const chainId = req.domain.chainId;
  if (chainId === undefined) {
    // A domain without a chain id is valid on every chain: replayable, so refused.
    throw new WattletError('WALLET_CHAIN_MISMATCH', 'The typed data domain names no chain', {
      requested: null,
      connected: connected.toString(),
    });
  }
  guardChain(BigInt(chainId), connected, 'typed data');
  if (!ledger) {
    throw new WattletError('WALLET_NO_LEDGER', 'No EnergyLedger contract is configured', {});
  }
  const vc = req.domain.verifyingContract;
  if (!vc || vc.toLowerCase() !== ledger.toLowerCase()) {
    throw new WattletError('WALLET_FOREIGN_CONTRACT', `Typed data for ${vc ?? 'no contract'} is not for the EnergyLedger`, {
      verifyingContract: vc ?? null,
      expected: ledger,
    });
  }
}

export function guardTransaction(req: TransactionRequest, connected: bigint): void {
  guardChain(req.chainId === undefined ? null : BigInt(req.chainId), connected, 'transaction');
}
