import { WattletError } from '../api/errors.js';
import type { WalletService } from './wallet-service.js';

/**
 * The account that signs for the household (attestations, offers, settlements): the wallet's
 * first. WALLET_EMPTY until a key is created or imported, so a caller says what to do next.
 */
export function householdAccount(wallet: Pick<WalletService, 'accounts'>): string {
  const address = wallet.accounts()[0]?.address;
  if (!address) throw new WattletError('WALLET_EMPTY', 'Create or import a wallet first', {});
  return address;
}
