import { Contract, ContractFactory, Interface, type ContractRunner, type Signer } from 'ethers';
import { energyLedgerArtifact } from '../contract-artifact.js';

export const energyLedgerInterface = new Interface(energyLedgerArtifact.abi);

/** Deploys EnergyLedger(admin, operator) and waits for it to be mined. */
export async function deployEnergyLedger(deployer: Signer, admin: string, operator: string): Promise<Contract> {
  const factory = new ContractFactory(energyLedgerArtifact.abi, energyLedgerArtifact.bytecode, deployer);
  const contract = await factory.deploy(admin, operator);
  await contract.waitForDeployment();
  return contract as Contract;
}

export function energyLedgerAt(address: string, runner: ContractRunner): Contract {
  return new Contract(address, energyLedgerArtifact.abi, runner);
}

/** bytes32 meter id from the printed serial (keccak256 of the UTF-8 serial) or a 0x-hex id. */
export { meterIdOf } from './meter-id.js';
