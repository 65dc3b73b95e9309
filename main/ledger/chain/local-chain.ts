import { createRequire } from 'node:module';
import { WattletError } from '../../api/errors.js';
import type { Disposable } from '../../lifecycle/disposables.js';

/**
 * A local Hardhat network (EDR, the Rust EVM) served on 127.0.0.1, started in-process from
 * Hardhat's own provider and JSON-RPC server — the same two pieces `hardhat node` wires — so no
 * config file, no compile task and never a compiler download. Port 0 picks a free port.
 */
export type LocalHardfork = 'berlin' | 'london' | 'merge' | 'shanghai' | 'cancun' | 'prague' | 'osaka';

export interface LocalChainOptions {
  readonly accounts: ReadonlyArray<{ readonly privateKey: string; readonly balanceWei: bigint }>;
  readonly port?: number;
  readonly chainId?: number;
  /** The fork the chain runs; the header check covers each (test/integration/ledger/header-forks). */
  readonly hardfork?: LocalHardfork;
  /** Unix seconds of the genesis block; blocks follow the wall clock from there. */
  readonly initialDate?: Date;
}

export interface LocalChain extends Disposable {
  readonly url: string;
  readonly port: number;
  readonly chainId: number;
  readonly hardfork: LocalHardfork;
}

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}
interface HardhatProviderModule {
  createHardhatNetworkProvider(config: Record<string, unknown>, logger: { enabled: boolean }): Promise<Eip1193>;
}
interface HardhatServerModule {
  JsonRpcServer: new (config: { hostname: string; port: number; provider: Eip1193 }) => {
    listen(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
}

export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  const chainId = options.chainId ?? 31337;
  const hardfork = options.hardfork ?? 'prague';
  try {
    // Hardhat 2 is CommonJS and a development dependency: loaded only when demo mode starts.
    const require = createRequire(import.meta.url);
    const { createHardhatNetworkProvider } = require('hardhat/internal/hardhat-network/provider/provider') as HardhatProviderModule;
    const { JsonRpcServer } = require('hardhat/internal/hardhat-network/jsonrpc/server') as HardhatServerModule;
    const provider = await createHardhatNetworkProvider(
      {
        hardfork,
        chainId,
        networkId: chainId,
        blockGasLimit: 60_000_000,
        minGasPrice: 0n,
        automine: true,
        intervalMining: 0,
        mempoolOrder: 'priority',
        chains: new Map(),
        genesisAccounts: options.accounts.map((a) => ({ privateKey: a.privateKey, balance: a.balanceWei })),
        allowUnlimitedContractSize: false,
        throwOnTransactionFailures: true,
        throwOnCallFailures: true,
        allowBlocksWithSameTimestamp: false,
        ...(options.initialDate ? { initialDate: options.initialDate } : {}),
        enableTransientStorage: false,
        enableRip7212: false,
      },
      { enabled: false },
    );
    const server = new JsonRpcServer({ hostname: '127.0.0.1', port: options.port ?? 0, provider });
    const address = await server.listen();
    let closed = false;
    return {
      url: `http://127.0.0.1:${address.port}`,
      port: address.port,
      chainId,
      hardfork,
      async dispose() {
        if (closed) return;
        closed = true;
        await server.close();
      },
    };
  } catch (e) {
    if (e instanceof WattletError) throw e;
    throw new WattletError('LEDGER_CHAIN_START_FAILED', `The local chain did not start: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
  }
}
