import { join } from 'node:path';
import type { Provider } from 'ethers';
import type { HistoryService } from '../history/service.js';
import { householdOf } from '../history/household.js';
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

export interface WalletExtras {
  /** The history the household's time zone and currency are read from (offers on the approval surface). */
  readonly history?: HistoryService;
  readonly keychain?: Keychain;
}

/**
 * The wallet: keys only in the OS keychain (never a file fallback), signing only through the
 * host's approval surface (Electron's modal window, or the browser host's one-time page).
 */
export function wireWallet(ctx: WireContext, surface: ApprovalSurface, chain: WalletChain, extras: WalletExtras = {}): WalletWiring {
  const abis = loadContractAbis(join(ctx.root, 'resources', 'contracts', 'build'));
  const history = extras.history;
  const wallet = new WalletService({
    dataDir: ctx.dataDir,
    keychain: extras.keychain ?? keytarKeychain(),
    surface,
    events: ctx.bus,
    autoLockSeconds: () => ctx.settings.current.autoLockSeconds,
    provider: () => chain.provider(),
    energyLedgerAddress: () => chain.address(),
    contracts: () => abis,
    ...(history ? { household: () => householdOf(history) } : {}),
    log: (message, facts) => ctx.logger.info(message, facts),
  });
  ctx.disposables.add(wallet);
  return { wallet, handlers: walletHandlers(wallet) };
}
