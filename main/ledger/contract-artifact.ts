import type { InterfaceAbi } from 'ethers';
import energyLedger from '../../resources/contracts/build/EnergyLedger.json' with { type: 'json' };

/**
 * The compiled EnergyLedger (npm run build:contracts writes it; it is committed, so nothing
 * compiles at run time). Plain JSON: the renderer may import it too.
 */
export interface ContractArtifact {
  readonly contractName: string;
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
  readonly deployedBytecode: string;
  readonly storageLayout: unknown;
}

export const energyLedgerArtifact: ContractArtifact = energyLedger as unknown as ContractArtifact;
