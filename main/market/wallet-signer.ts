import type { Provider } from 'ethers';
import { ApprovingSigner } from '../wallet/approving-signer.js';
import type { WalletService } from '../wallet/wallet-service.js';
import type { MarketAccounts } from './market-accounts.js';
import type { MarketSigner } from './market-signer.js';

/**
 * The wallet as the market's signer for one account: every offer, purchase and transaction
 * approved by a person on the wallet's surface (one approval each), on the chain connected at the
 * time of the call.
 */
export function walletMarketSigner(wallet: WalletService, from: string, provider: () => Provider | null): MarketSigner {
  const json = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
  return {
    getAddress: async () => from,
    publishOffer: async (domain, types, value, checks) =>
      wallet.publishOffer({
        from,
        domain: { name: domain.name, version: domain.version, chainId: domain.chainId.toString(), verifyingContract: domain.verifyingContract },
        types,
        primaryType: 'Offer',
        message: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v)])) as Record<string, string>,
        checks: [...checks],
      }),
    sendCalls: async (calls, checks) =>
      wallet.sendCalls({
        from,
        calls: calls.map((c) => ({ to: c.to, data: c.data, value: (c.value ?? 0n).toString(), ...(c.gasLimit ? { gasLimit: c.gasLimit.toString() } : {}) })),
        checks: [...checks],
      }),
    sendTransaction: async (tx) => new ApprovingSigner(wallet, from, provider()).sendTransaction(tx),
  };
}

/** The wallet's accounts, each signing through the wallet. */
export function walletMarketAccounts(wallet: WalletService, provider: () => Provider | null): MarketAccounts {
  return {
    list: () => wallet.accounts().map((a) => ({ address: a.address, label: a.label })),
    signer: (address) => walletMarketSigner(wallet, address, provider),
  };
}
