import type { Handlers } from '../api/dispatcher.js';
import type { walletChannels } from '../api/wallet.js';
import type { WalletService } from './wallet-service.js';

export type WalletHandlers = Pick<Handlers, keyof typeof walletChannels>;

/**
 * The wallet's channels over the service. Requests arrive validated by the dispatcher; nothing
 * here signs: 'wallet.requestSignature' waits in the approval queue for a person.
 */
export function walletHandlers(wallet: WalletService): WalletHandlers {
  return {
    'wallet.status': () => wallet.status(),
    'wallet.create': (r) => wallet.create(r.label),
    'wallet.backupChallenge': (r) => wallet.backupChallenge(r.keyId),
    'wallet.confirmBackup': (r) => wallet.confirmBackup(r.keyId, r.words),
    'wallet.revealWords': (r) => wallet.revealWords(r.keyId),
    'wallet.import': (r) =>
      r.kind === 'mnemonic'
        ? wallet.import({ kind: 'mnemonic', mnemonic: r.mnemonic }, r.label)
        : wallet.import({ kind: 'privateKey', privateKey: r.privateKey }, r.label),
    'wallet.accounts': () => ({ accounts: wallet.accounts() }),
    'wallet.addAccount': (r) => wallet.addAccount(r.keyId, r.label),
    'wallet.rename': (r) => wallet.rename(r.address, r.label),
    'wallet.remove': (r) => wallet.remove(r.address),
    'wallet.unlock': () => wallet.unlock(),
    'wallet.lock': () => wallet.lock(),
    'wallet.balances': () => wallet.balances(),
    'wallet.pendingApprovals': () => ({ approvals: wallet.pendingApprovals() }),
    'wallet.revealApproval': () => ({ revealed: wallet.revealApproval() }),
    'wallet.cancelApproval': (r) => ({ cancelled: wallet.cancelApproval(r.id) }),
    'wallet.requestSignature': (r) => wallet.requestSignature(r),
  };
}
