import { WattletError } from '../api/errors.js';
import type { MarketSigner } from './market-signer.js';

/** An account the person may act with: its address and label. */
export interface MarketAccount {
  readonly address: string;
  readonly label: string;
}

/**
 * The wallet's accounts as the market uses them (the account picker): which there are, and a
 * signer for each. The market never chooses silently among several: a request names the account,
 * and only its absence falls back to the default (the meter's owner to sell, the first otherwise).
 */
export interface MarketAccounts {
  list(): readonly MarketAccount[];
  signer(address: string): MarketSigner;
}

/** The account a request names (it must be the wallet's), or `fallback` when it names none. */
export function pickAccount(accounts: MarketAccounts, requested: string | undefined, fallback?: string | null): MarketAccount {
  const all = accounts.list();
  if (all.length === 0) throw new WattletError('WALLET_EMPTY', 'Create or import a wallet first', {});
  if (requested) {
    const found = all.find((a) => a.address.toLowerCase() === requested.toLowerCase());
    if (!found) throw new WattletError('WALLET_ACCOUNT_UNKNOWN', `No account ${requested} in this wallet`, { address: requested });
    return found;
  }
  return (fallback && all.find((a) => a.address.toLowerCase() === fallback.toLowerCase())) || all[0]!;
}
