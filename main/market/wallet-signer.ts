import type { Provider } from 'ethers';
import { ApprovingSigner } from '../wallet/approving-signer.js';
import { householdAccount } from '../wallet/household-account.js';
import type { WalletService } from '../wallet/wallet-service.js';
import type { MarketSigner } from './market-signer.js';

/**
 * The wallet as the market's signer: the household's account (WALLET_EMPTY until there is one),
 * every offer and transaction approved by a person on the wallet's surface, on the chain
 * connected at the time of the call.
 */
export function walletMarketSigner(wallet: WalletService, provider: () => Provider | null): MarketSigner {
  const signer = () => new ApprovingSigner(wallet, householdAccount(wallet), provider());
  return {
    getAddress: async () => householdAccount(wallet),
    signTypedData: async (domain, types, value) => signer().signTypedData(domain as never, types, value),
    sendTransaction: async (tx) => signer().sendTransaction(tx),
  };
}
