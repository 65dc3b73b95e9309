import { join } from 'node:path';
import type { Provider } from 'ethers';
import type { ApprovalSurface } from '../wallet/approval-surface.js';
import { loadContractAbis } from '../wallet/contract-abis.js';
import { walletHandlers } from '../wallet/handlers.js';
import { keytarKeychain, type Keychain } from '../wallet/keychain.js';
import { WalletService } from '../wallet/wallet-service.js';
import type { WireContext } from './wire-context.js';

export interface WalletWiring {
  readonly wallet: WalletService;
  readonly handlers: ReturnType<typeof walletHandlers>;
}

export interface WalletChain {
  /** The connected chain, or null while none is configured or the demo chain is starting. */
  provider(): Provider | null;
  /** The EnergyLedger the wallet lets typed data name as verifying contract. */
  address(): string | null;
}

/**
 * The wallet: keys only in the OS keychain (never a file fallback), signing only through the
 * host's approval surface (Electron's modal window, or the browser host's one-time page).
 */
export function wireWallet(ctx: WireContext, surface: ApprovalSurface, chain: WalletChain, keychain: Keychain = keytarKeychain()): WalletWiring {
  const abis = loadContractAbis(join(ctx.root, 'resources', 'contracts', 'build'));
  const wallet = new WalletService({
    dataDir: ctx.dataDir,
    keychain,
    surface,
    events: ctx.bus,
    autoLockSeconds: () => ctx.settings.current.autoLockSeconds,
    provider: () => chain.provider(),
    energyLedgerAddress: () => chain.address(),
    contracts: () => abis,
    log: (message, facts) => ctx.logger.info(message, facts),
  });
  ctx.disposables.add(wallet);
  return { wallet, handlers: walletHandlers(wallet) };
}
