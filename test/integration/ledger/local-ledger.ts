import { JsonRpcProvider, Wallet, type Contract } from 'ethers';
import { demoAccounts } from '../../../main/ledger/chain/demo-accounts.js';
import { deployEnergyLedger, energyLedgerAt } from '../../../main/ledger/chain/ledger-contract.js';
import { startLocalChain, type LocalChain, type LocalHardfork } from '../../../main/ledger/chain/local-chain.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { DemoOperator } from '../../../main/ledger/operator/demo-operator.js';
import { syntheticReadingSource } from '../../../main/ledger/operator/reading-source.js';
import type { Discrepancy } from '../../../main/ledger/operator/official-day.js';
import { parseDay } from '../../../main/ledger/day.js';

/** A real Hardhat chain with EnergyLedger deployed, a registered meter and the demo operator. */
export interface LocalLedger {
  chain: LocalChain;
  provider: JsonRpcProvider;
  admin: Wallet;
  operatorWallet: Wallet;
  household: Wallet;
  stranger: Wallet;
  ledger: Contract;
  address: string;
  meterId: string;
  operator: DemoOperator;
  dispose(): Promise<void>;
}

export const DAY0 = parseDay('2025-06-01')!;

export async function startLocalLedger(opts: { hardfork?: LocalHardfork; discrepancies?: Discrepancy[] } = {}): Promise<LocalLedger> {
  const accounts = demoAccounts(4);
  const chain = await startLocalChain({
    accounts: accounts.map((a) => ({ privateKey: a.privateKey, balanceWei: 10n ** 22n })),
    ...(opts.hardfork ? { hardfork: opts.hardfork } : {}),
  });
  const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 20 });
  const [op, hh, st] = accounts.map((a) => new Wallet(a.privateKey, provider));
  const admin = op!;
  const deployed = await deployEnergyLedger(admin, admin.address, admin.address);
  const address = await deployed.getAddress();
  const ledger = energyLedgerAt(address, admin);
  const meterId = meterIdOf('E0031234567890');
  const operator = new DemoOperator({
    contract: ledger,
    source: syntheticReadingSource(11),
    secret: '0x' + '5a'.repeat(32),
    ...(opts.discrepancies ? { discrepancies: opts.discrepancies } : {}),
  });
  await operator.registerMeter(meterId, hh!.address);
  return {
    chain,
    provider,
    admin,
    operatorWallet: admin,
    household: hh!,
    stranger: st!,
    ledger,
    address,
    meterId,
    operator,
    async dispose() {
      provider.destroy();
      await chain.dispose();
    },
  };
}
