/**
 * The wallet room: keys in the OS keychain, accounts, lock, and signing only with a person's
 * approval on a surface the main window cannot script. The main window (and any script in it)
 * is treated as hostile: no channel of it ever answers a recovery word except the one creation
 * answer, and nothing is signed that a person did not see in full on the approval surface.
 *
 * Wiring: the room's one factory, plugged by the composition root (main/compose.ts):
 *
 *   const wallet = createWallet({
 *     dataDir,                                   // wallet.json: addresses, labels, backup-check state; no secret
 *     root,                                      // resources/contracts/build: ABIs to decode calls on the surface
 *     chain,                                     // { provider(), address() }: the ledger room's ChainConnection
 *     surface,                                   // Electron: new ApprovalWindow(...).surface (main/app)
 *                                                // browser host: new ApprovalRoute(...).surface (main/host)
 *                                                // CLI: noApprovalSurface (refuses everything)
 *     bus,                                       // wallet.approvalPending / approvalSettled / locked / unlocked / changed
 *     autoLockSeconds: () => settings.current.autoLockSeconds,
 *     household: history.household,              // history's zone, active tariff's currency
 *     language: () => settings.current.language, // the approval surface speaks the household's language
 *     keychain,                                  // default keytarKeychain() (service "Wattlet"); never a file fallback
 *     logger,
 *   });  // → { service, handlers, dispose }
 *
 * The wallet takes the chain as a port and knows no other room: the ledger signs through
 * `walletTransactionSender(wallet.service)` and the market through `walletMarketSigner(...)`, each in
 * its own room; `householdAccount(wallet)` is the account they sign with (WALLET_EMPTY until one).
 *
 * Backup confirmation (backup-check.ts, backup-tries.ts). `wallet.create` answers the new words
 * once, with three positions fixed then and stored with the key (positions are not secret; fixing
 * them means asking again or restarting never yields a new set to probe). `wallet.confirmBackup`
 * answers pass or fail only: a wrong answer is WALLET_BACKUP_MISMATCH with the tries left, the
 * same whichever word was wrong (all three are compared, constant time). Three tries; after a
 * wrong one the next is refused (WALLET_BACKUP_TOO_SOON) for 5 s, then 30 s; after the third,
 * WALLET_BACKUP_LOCKED_OUT. Tries are written to wallet.json before the answer leaves, and calls
 * for one key run one at a time, so neither a restart nor a burst of parallel calls gets more.
 * Starting over means seeing the words again: `wallet.revealWords` queues an approval of kind
 * 'revealWords' whose view carries the words to the approval surface only; when the person closes
 * them there as written down, new positions are chosen and the tries reset, and the main window
 * gets just that new challenge. Once confirmed (imported keys count as confirmed) the challenge,
 * confirm and reveal channels answer WALLET_BACKUP_CONFIRMED. Failed tries are logged with the
 * key and the count, never what was typed. Learning a single word thus takes guessing all three
 * at once (2048³ candidates) with three tries per showing of the words on the person's screen.
 *
 * Signing what is shown (typed-data-check.ts). Typed data is refused with WALLET_REQUEST_INVALID
 * (facts.reason) before anyone is asked when `primaryType` is not the root struct ethers' encoder
 * derives from `types` ('primary-type-not-root': ethers signs that root whatever primaryType
 * says), when a struct in `types` is not reached from it ('unreachable-type'), when an
 * EIP712Domain type differs from the domain given ('domain-type-mismatch'), when it does not
 * encode, or when any object in the message has a key its struct lacks ('unknown-key'). The view
 * carries the whole domain (name, version, chainId, verifyingContract, salt), the type hash and
 * every field, nested structs and array items by path. An EnergyLedger offer is recognised by its
 * pinned type hash (offer-type.ts, equal to the contract's OFFER_TYPEHASH), never by names, and
 * also shown in plain terms (offer-display.ts): kWh, the delivery window in the household's time
 * zone, price per kWh and total in the chain's unit, and in the household's currency only when
 * the token is that currency (its symbol names it); no exchange rate is ever assumed.
 *
 * The approval surface (approval-surface.ts) shows one prompt at a time (approval-queue.ts, FIFO,
 * as Frame); its page arms Approve only 1.5 s after the prompt appears or regains focus or
 * visibility (renderer/approval/activation-gate.ts). The main window hears summaries only
 * ('wallet.approvalPending') and may ask for the waiting prompt to be shown again
 * (`wallet.revealApproval` → surface.reveal?(), answering a boolean, never the page's address).
 * Each view carries the household's language (the `language` port, Settings), stamped by the queue
 * when the prompt is shown: the page speaks it, and the browser's language only when there is none.
 *
 * Market calls in one sentence (offer-call-display.ts). Every EnergyLedger call on an offer is
 * described from the ledger's own record of it (read once, in signing.ts, for a purchase as for the
 * rest), never from the caller's word: a fill (purchase-display.ts), and a cancel (what is unsold
 * is withdrawn, buyers keep what they bought), a settle (the delivered energy, the seller's pay and
 * the buyers' refund, from the contract's own walk over the intervals the call carries, worked out
 * only when the chain accepts the call as it stands, else left out) and a reclaim (what comes back
 * and why, by the chain's clock). The page says them first (renderer/approval/offer-call-sentence.ts),
 * the decoded call and every field below.
 *
 * Internal signer API for the ledger and market rooms. Each call runs the same checks as the
 * channel (locked → WALLET_LOCKED, malformed typed data → WALLET_REQUEST_INVALID, wrong chain →
 * WALLET_CHAIN_MISMATCH, typed data for another contract than the EnergyLedger →
 * WALLET_FOREIGN_CONTRACT, backup not confirmed → WALLET_BACKUP_UNCONFIRMED), then waits FIFO for
 * a person's decision; a rejection rejects with APPROVAL_REJECTED, a timeout with APPROVAL_TIMEOUT:
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
 * of the field rows: `…Wh` as kWh, `…PerKWh` in the struct's `token` (zero address = native
 * coin), `…Start`/`…End`/`expiry` as UTC times.
 */
export { WalletService, type WalletServiceOptions } from './wallet-service.js';
export { createWallet, type Wallet, type WalletChain, type WalletPorts } from './create-wallet.js';
export { householdAccount } from './household-account.js';
export { walletHandlers, type WalletHandlers } from './handlers.js';
export { keytarKeychain, keychainHint, KEYCHAIN_SERVICE, type Keychain } from './keychain.js';
export { noApprovalSurface, type ApprovalSurface, type ApprovalDecision } from './approval-surface.js';
export { ApprovingSigner } from './approving-signer.js';
export { loadContractAbis, type KnownContract } from './contract-abis.js';
export { systemClock, type Clock } from './clock.js';
export { HD_ACCOUNT_ROOT, hdPath } from './wallet-secret.js';
export { WALLET_FILE_NAME } from './account-store.js';
export { BACKUP_POLICY, type BackupPolicy } from './backup-tries.js';
export { ENERGY_OFFER_TYPE, ENERGY_OFFER_TYPEHASH } from './offer-type.js';
export { tokenIsCurrency, type Household } from './offer-display.js';
export { PUBLISH_GAS_LIMIT, type CallsRequest, type OfferPublishRequest } from './signing.js';
