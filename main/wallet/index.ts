/**
 * The wallet room: keys in the OS keychain, accounts, lock, and signing only with a person's
 * approval on a surface the main window cannot script.
 *
 * Wiring (composition root):
 *
 *   const wallet = new WalletService({
 *     dataDir,                                   // wallet.json: addresses and labels only
 *     keychain: keytarKeychain(),                // service "Wattlet"; never a file fallback
 *     surface,                                   // Electron: new ApprovalWindow(...).surface (main/app)
 *                                                // browser host: new ApprovalRoute(...).surface (main/host)
 *                                                // CLI: noApprovalSurface (refuses everything)
 *     events: bus,                               // wallet.approvalPending / approvalSettled / locked / unlocked / changed
 *     autoLockSeconds: () => settings.current.autoLockSeconds,
 *     provider: () => ledger.provider(),         // the connected chain, or null
 *     energyLedgerAddress: () => ledger.address(),
 *     contracts: () => loadContractAbis('resources/contracts/build'),
 *     log,
 *   });
 *   handlers = { ...handlers, ...walletHandlers(wallet) };
 *   disposables.add(wallet);
 *
 * Internal signer API for the ledger and market rooms. Each call runs the same checks as the
 * channel (locked → WALLET_LOCKED, wrong chain → WALLET_CHAIN_MISMATCH, typed data for another
 * contract than the EnergyLedger → WALLET_FOREIGN_CONTRACT, backup not confirmed →
 * WALLET_BACKUP_UNCONFIRMED), then waits FIFO for a person's decision; a rejection rejects with
 * APPROVAL_REJECTED, a timeout with APPROVAL_TIMEOUT:
 *
 *   wallet.signTypedData({ from, domain, types, primaryType, message })  → { signature }
 *   wallet.signMessage({ from, message, encoding? })                     → { signature }
 *   wallet.sendTransaction({ from, to, value?, data?, chainId?, gasLimit? }) → { hash }
 *   new ApprovingSigner(wallet, from, provider)  // an ethers Signer for `new Contract(...)`
 *
 * Deleting a key (removing its last account) also waits for approval (view kind 'removeKey'):
 * a script in the main window cannot destroy a household's key.
 *
 * Typed data values travel as JSON (bigints as decimal strings). Field names drive the units
 * the person sees: `…Wh` as kWh, `…PerKWh` in the struct's `token` (zero address = native coin),
 * `…Start`/`…End`/`expiry` as UTC times.
 */
export { WalletService, type WalletServiceOptions } from './wallet-service.js';
export { walletHandlers, type WalletHandlers } from './handlers.js';
export { keytarKeychain, keychainHint, KEYCHAIN_SERVICE, type Keychain } from './keychain.js';
export { noApprovalSurface, type ApprovalSurface, type ApprovalDecision } from './approval-surface.js';
export { ApprovingSigner } from './approving-signer.js';
export { loadContractAbis, type KnownContract } from './contract-abis.js';
export { systemClock, type Clock } from './clock.js';
export { HD_ACCOUNT_ROOT, hdPath } from './wallet-secret.js';
export { WALLET_FILE_NAME } from './account-store.js';
