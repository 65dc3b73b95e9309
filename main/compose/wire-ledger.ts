import { join } from 'node:path';
import { JsonRpcProvider, Wallet } from 'ethers';
import { WattletError } from '../api/errors.js';
import type { TransactionSender } from '../ledger/attest/transaction-sender.js';
import { demoAccounts } from '../ledger/chain/demo-accounts.js';
import { startDemoLedger, type DemoLedger } from '../ledger/chain/demo-ledger.js';
import { meterIdOf } from '../ledger/chain/meter-id.js';
import { ledgerHandlers } from '../ledger/handlers.js';
import { LedgerService } from '../ledger/ledger-service.js';
import { handoverFolder, type HandoverSource } from '../ledger/operator/index.js';
import type { ReadingSource } from '../ledger/operator/reading-source.js';
import type { WalletService } from '../wallet/wallet-service.js';
import type { WireContext } from './wire-context.js';
import type { WalletChain } from './wire-wallet.js';

const ETH = 10n ** 18n;
/** How often demo mode's operator anchors the days that closed since. */
const ANCHOR_EVERY_MS = 10 * 60_000;

export interface LedgerWiring extends WalletChain {
  rpcUrl(): string | null;
  /** Blocks an anchor must be buried under to count (0 on the demo chain, 12 on a public one). */
  readonly minDepth: () => number;
  readonly service: LedgerService;
  readonly handlers: ReturnType<typeof ledgerHandlers>;
  readonly meterId: string;
  readonly handovers: HandoverSource;
  /** Demo mode: resolves when the local chain is up, the contract deployed and days anchored. */
  readonly demoReady: Promise<DemoLedger | null>;
  /** Connect the wallet (attestations; in demo mode it also becomes the meter's owner). */
  connectWallet(wallet: WalletService): void;
}

/**
 * The ledger: in live mode the configured JSON-RPC endpoint and EnergyLedger address from
 * Settings; in demo mode (no endpoint configured) a local Hardhat chain, started in the
 * background so the window opens at once, with the demo operator anchoring each closed day.
 */
export function wireLedger(ctx: WireContext, options: { meter: string; local: ReadingSource; demoDays: number }): LedgerWiring {
  const meterId = meterIdOf(options.meter);
  let demo: DemoLedger | null = null;
  let wallet: WalletService | null = null;
  /** The demo meter's registered owner (the demo ledger's is only the one it started with). */
  let demoOwner: string | null = null;
  let liveProvider: { url: string; provider: JsonRpcProvider } | null = null;
  const useDemo = () => ctx.settings.current.rpcUrl === null;

  const endpoint = () =>
    useDemo()
      ? { rpcUrl: demo?.url ?? null, contract: demo?.contract ?? null }
      : { rpcUrl: ctx.settings.current.rpcUrl, contract: ctx.settings.current.contractAddress };

  const provider = () => {
    const url = endpoint().rpcUrl;
    if (!url) return null;
    if (liveProvider?.url !== url) {
      liveProvider?.provider.destroy();
      liveProvider = { url, provider: new JsonRpcProvider(url, undefined, { cacheTimeout: -1, pollingInterval: 250 }) };
    }
    return liveProvider.provider;
  };
  ctx.disposables.add(() => liveProvider?.provider.destroy());

  const demoHandovers: HandoverSource = {
    handover: async (m, day) => (demo ? demo.operator.handover(m, day) : null),
  };
  const handovers: HandoverSource = useDemo() ? demoHandovers : handoverFolder(join(ctx.dataDir, 'handovers'));

  const sender: TransactionSender = {
    address: async () => firstAccount(wallet),
    send: async (tx) => {
      const from = await firstAccount(wallet);
      const { hash } = await wallet!.sendTransaction({ from, to: tx.to, data: tx.data, chainId: String(tx.chainId) });
      return hash;
    },
  };

  const service = new LedgerService({
    mode: useDemo() ? 'demo' : 'live',
    endpoint,
    meterId,
    local: options.local,
    handovers,
    sender,
    emit: (event, payload) => ctx.bus.emit(event, payload),
    now: ctx.now,
  });
  ctx.disposables.add(service);

  // The demo household becomes the meter's owner and gets coins to pay for gas.
  const adopt = async () => {
    const owner = wallet?.accounts()[0]?.address;
    if (!demo || !owner || owner === (demoOwner ?? demo.owner)) return;
    await demo.operator.registerMeter(meterId, owner);
    const faucet = new Wallet(demoAccounts(1)[0]!.privateKey, provider());
    await (await faucet.sendTransaction({ to: owner, value: 100n * ETH })).wait();
    demoOwner = owner;
    ctx.logger.info('demo meter registered to the wallet', { owner });
  };

  const demoReady: Promise<DemoLedger | null> = !useDemo()
    ? Promise.resolve(null)
    : startDemoLedger({ source: options.local, meterId, days: Math.max(1, Math.min(options.demoDays, 60)) }).then(
        async (started) => {
          if (ctx.disposables.disposed) {
            await started.dispose();
            return null;
          }
          demo = started;
          ctx.disposables.add(started);
          const timer = setInterval(() => void started.anchorClosedDays().catch((error) => ctx.logger.error('anchoring failed', { error })), ANCHOR_EVERY_MS);
          ctx.disposables.add(() => clearInterval(timer));
          await adopt().catch((error) => ctx.logger.error('demo meter registration failed', { error }));
          ctx.logger.info('demo ledger ready', { url: started.url, contract: started.contract });
          void service.status().then((s) => ctx.bus.emit('ledger.statusChanged', s), () => {});
          return started;
        },
        (error: unknown) => {
          ctx.logger.error('demo ledger failed to start', { error });
          return null;
        },
      );

  return {
    service,
    handlers: ledgerHandlers(service),
    meterId,
    handovers,
    demoReady,
    minDepth: () => (useDemo() ? 0 : 12),
    provider,
    address: () => endpoint().contract,
    rpcUrl: () => endpoint().rpcUrl,
    connectWallet(w) {
      wallet = w;
      ctx.disposables.add(ctx.bus.on('wallet.changed', () => void adopt().catch((error) => ctx.logger.error('demo meter registration failed', { error }))));
      void demoReady.then(() => adopt()).catch(() => {});
    },
  };
}

function firstAccount(wallet: WalletService | null): string {
  const address = wallet?.accounts()[0]?.address;
  if (!address) throw new WattletError('WALLET_EMPTY', 'Create or import a wallet first', {});
  return address;
}
