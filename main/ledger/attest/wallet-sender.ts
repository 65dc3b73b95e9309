import { householdAccount } from '../../wallet/household-account.js';
import type { WalletService } from '../../wallet/wallet-service.js';
import type { TransactionSender } from './transaction-sender.js';

/**
 * The wallet as the ledger's signer: the household's account signs each attestation after a
 * person approves it on the wallet's surface (which decodes the call itself from the ABIs).
 */
export function walletTransactionSender(wallet: Pick<WalletService, 'accounts' | 'sendTransaction'>): TransactionSender {
  return {
    address: async () => householdAccount(wallet),
    async send(tx) {
      const from = householdAccount(wallet);
      const { hash } = await wallet.sendTransaction({ from, to: tx.to, data: tx.data, chainId: String(tx.chainId) });
      return hash;
    },
  };
}
