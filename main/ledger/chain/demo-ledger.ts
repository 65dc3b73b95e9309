import { JsonRpcProvider, Wallet } from 'ethers';
import type { Disposable } from '../../lifecycle/disposables.js';
import { dayOf } from '../day.js';
import { DemoOperator } from '../operator/demo-operator.js';
import type { Discrepancy } from '../operator/official-day.js';
import type { ReadingSource } from '../operator/reading-source.js';
import { demoAccounts } from './demo-accounts.js';
import { deployEnergyLedger, energyLedgerAt } from './ledger-contract.js';
import { startLocalChain, type LocalHardfork } from './local-chain.js';
import { meterIdOf } from './meter-id.js';

export interface DemoLedgerOptions {
  /** The meter the operator reads (the simulated meter, or the history store). */
  readonly source: ReadingSource;
  readonly meterId: string;
  /** The household's wallet address (the keychain account); default: demo account 1. */
  readonly owner?: string;
  /** Closed days before today to anchor at start (default 30). */
  readonly days?: number;
  readonly discrepancies?: readonly Discrepancy[];
  /** Folder for the operator's handover files. */
  readonly outDir?: string;
  readonly port?: number;
  readonly hardfork?: LocalHardfork;
  /** Extra addresses to fund (e.g. the wallet's own), 100 ETH each. */
  readonly fund?: readonly string[];
  /**
   * The region the meter is anchored in, with how many simulated neighbours share its tree
   * (default: DEMO_REGION with 7 neighbours, the national design); null: one anchor per meter-day.
   */
  readonly region?: { readonly id: string; readonly neighbours: number } | null;
}

/** The demo's region: the household and its simulated neighbours, one anchor per day. */
export const DEMO_REGION = meterIdOf('wattlet demo region');
const DEMO_NEIGHBOURS = 7;

export interface DemoLedger extends Disposable {
  readonly url: string;
  readonly chainId: number;
  readonly contract: string;
  readonly meterId: string;
  readonly owner: string;
  readonly operator: DemoOperator;
  /** The region the meter is anchored in; null when anchored per meter. */
  readonly regionId: string | null;
  /** Demo account 1's key (public Hardhat mnemonic): only for a demo without the keychain wallet. */
  readonly householdKey: string;
  /** Anchors every closed day up to yesterday not yet anchored (call daily, or on demand). */
  anchorClosedDays(): Promise<number[]>;
}

const ETH = 10n ** 18n;

/**
 * Demo mode's ledger: a local Hardhat network, EnergyLedger deployed (demo account 0 is admin and
 * operator), the household's meter registered to its wallet in the demo region, the demo
 * operator anchoring the region's last `days` closed days (one root a day over the household's
 * and its neighbours' day roots) and handing the intervals and the region path over.
 */
export async function startDemoLedger(options: DemoLedgerOptions): Promise<DemoLedger> {
  const accounts = demoAccounts(5);
  const chain = await startLocalChain({
    accounts: accounts.map((a) => ({ privateKey: a.privateKey, balanceWei: 10_000n * ETH })),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.hardfork ? { hardfork: options.hardfork } : {}),
  });
  // cacheTimeout −1: each transaction must see the previous one's nonce (automine, one by one).
  const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  try {
    const admin = new Wallet(accounts[0]!.privateKey, provider);
    const deployed = await deployEnergyLedger(admin, admin.address, admin.address);
    const contract = await deployed.getAddress();
    const owner = options.owner ?? accounts[1]!.address;
    for (const to of options.fund ?? []) await (await admin.sendTransaction({ to, value: 100n * ETH })).wait();
    const region = options.region === undefined ? { id: DEMO_REGION, neighbours: DEMO_NEIGHBOURS } : options.region;
    const operator = new DemoOperator({
      contract: energyLedgerAt(contract, admin),
      source: options.source,
      secret: accounts[0]!.privateKey,
      ...(options.discrepancies ? { discrepancies: options.discrepancies } : {}),
      ...(options.outDir ? { outDir: options.outDir } : {}),
      // The neighbours belong to demo account 4, which no demo wallet uses.
      ...(region ? { region: { ...region, neighbourOwner: accounts[4]!.address } } : {}),
    });
    await operator.registerMeter(options.meterId, owner);
    const span = options.days ?? 30;
    const anchorClosedDays = async () => {
      const yesterday = dayOf(Date.now() / 1000) - 1;
      return operator.anchorDays(options.meterId, Array.from({ length: span }, (_, i) => yesterday - span + 1 + i));
    };
    await anchorClosedDays();
    return {
      url: chain.url,
      chainId: chain.chainId,
      contract,
      meterId: options.meterId,
      owner,
      operator,
      regionId: region?.id ?? null,
      householdKey: accounts[1]!.privateKey,
      anchorClosedDays,
      async dispose() {
        provider.destroy();
        await chain.dispose();
      },
    };
  } catch (e) {
    provider.destroy();
    await chain.dispose();
    throw e;
  }
}
