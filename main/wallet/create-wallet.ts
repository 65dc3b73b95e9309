import { join } from 'node:path';
import type { Provider } from 'ethers';
import type { EventBus } from '../api/event-bus.js';
import type { ApprovalLanguage } from '../api/wallet.js';
import type { Logger } from '../logging/logger.js';
import type { ApprovalSurface } from './approval-surface.js';
import type { Clock } from './clock.js';
import { loadContractAbis } from './contract-abis.js';
import { walletHandlers, type WalletHandlers } from './handlers.js';
import { keytarKeychain, type Keychain } from './keychain.js';
import type { Household } from './offer-display.js';
import { WalletService } from './wallet-service.js';

/** The chain the wallet signs for, read on every call (it changes with Settings, or when demo mode's chain comes up). */
export interface WalletChain {
  /** The connected chain, or null while none is configured or the local chain is starting. */
  provider(): Provider | null;
  /** The EnergyLedger: the only verifying contract typed data may name. */
  address(): string | null;
}

export interface WalletPorts {
  /** wallet.json lives here (addresses, labels, backup state; never a secret). */
  readonly dataDir: string;
  /** The install root: the contracts' ABIs (resources/contracts/build) decode calls on the approval surface. */
  readonly root: string;
  readonly chain: WalletChain;
  /** Where a person approves: Electron's modal window, the browser host's page, or none (CLI). */
  readonly surface: ApprovalSurface;
  readonly bus: Pick<EventBus, 'emit'>;
  /** Settings' autoLockSeconds, read at each unlock and activity. */
  readonly autoLockSeconds: () => number;
  /** The household's zone and currency, for offers shown in plain terms. */
  readonly household?: () => Household | null;
  /** Settings' language: the approval surface speaks it (without it, the browser's language). */
  readonly language?: () => ApprovalLanguage | null;
  /** Default: the OS keychain through keytar (never a file fallback). */
  readonly keychain?: Keychain;
  readonly clock?: Clock;
  readonly logger: Logger;
}

export interface Wallet {
  readonly service: WalletService;
  readonly handlers: WalletHandlers;
  dispose(): void;
}

/**
 * The wallet room: keys only in the OS keychain, signing only through the host's approval
 * surface. Other rooms sign through `service` (see index.ts); nothing here knows the ledger.
 */
export function createWallet(ports: WalletPorts): Wallet {
  const abis = loadContractAbis(join(ports.root, 'resources', 'contracts', 'build'));
  const service = new WalletService({
    dataDir: ports.dataDir,
    keychain: ports.keychain ?? keytarKeychain(),
    surface: ports.surface,
    events: ports.bus,
    autoLockSeconds: ports.autoLockSeconds,
    provider: () => ports.chain.provider(),
    energyLedgerAddress: () => ports.chain.address(),
    contracts: () => abis,
    ...(ports.household ? { household: ports.household } : {}),
    ...(ports.language ? { language: ports.language } : {}),
    ...(ports.clock ? { clock: ports.clock } : {}),
    log: (message, facts) => ports.logger.info(message, facts),
  });
  return { service, handlers: walletHandlers(service), dispose: () => service.dispose() };
}
