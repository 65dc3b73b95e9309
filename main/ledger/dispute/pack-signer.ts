import { householdAccount } from '../../wallet/household-account.js';
import type { WalletService } from '../../wallet/wallet-service.js';

/**
 * Who signs a dispute pack: the household's key, as an EIP-191 personal message whose text is the
 * pack's statement (pack-statement.ts). The wallet implements it with its approval queue: the
 * statement is shown on the approval surface (which the main window cannot script) and signed
 * only after a person approves; a refusal rejects with the wallet's coded error. The ledger never
 * holds a key.
 */
export interface PackSigner {
  address(): Promise<string>;
  signMessage(statement: string): Promise<string>;
}

/** The wallet's household account signs, after approval on the surface. */
export function walletPackSigner(wallet: Pick<WalletService, 'accounts' | 'signMessage'>): PackSigner {
  return {
    address: async () => householdAccount(wallet),
    async signMessage(statement) {
      const { signature } = await wallet.signMessage({ from: householdAccount(wallet), message: statement });
      return signature;
    },
  };
}

/** A signer over anything with ethers' Signer shape (tests and the CLI's own key; no approval surface). */
export function keyPackSigner(signer: { getAddress(): Promise<string>; signMessage(message: string): Promise<string> }): PackSigner {
  return { address: () => signer.getAddress(), signMessage: (s) => signer.signMessage(s) };
}
