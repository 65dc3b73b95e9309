import { HDNodeWallet, Mnemonic } from 'ethers';

/**
 * Hardhat's well-known development mnemonic: public, so these keys guard nothing and must never
 * hold value outside the local demo chain. Derivation m/44'/60'/0'/0/i (BIP-44, as Hardhat does).
 */
export const DEMO_MNEMONIC = 'test test test test test test test test test test test junk';

export interface DemoAccount {
  readonly role: 'operator' | 'household' | 'neighbour';
  readonly address: string;
  readonly privateKey: string;
}

const ROLES: DemoAccount['role'][] = ['operator', 'household', 'neighbour', 'neighbour', 'neighbour'];

export function demoAccounts(count = ROLES.length): DemoAccount[] {
  const mnemonic = Mnemonic.fromPhrase(DEMO_MNEMONIC);
  return Array.from({ length: count }, (_, i) => {
    const w = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    return { role: ROLES[i] ?? 'neighbour', address: w.address, privateKey: w.privateKey };
  });
}
