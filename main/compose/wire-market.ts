import { WattletError } from '../api/errors.js';
import type { ChannelName } from '../api/contract.js';
import type { Handler, Handlers } from '../api/dispatcher.js';
import { marketChannels } from '../api/market.js';
import type { HandoverSource } from '../ledger/operator/index.js';
import type { ExportHistory } from '../market/export-history.js';
import { httpTransport } from '../ledger/rpc/json-rpc.js';
import { ledgerAnchorCheck } from '../market/anchor-check.js';
import { createMarketHandlers } from '../market/handlers.js';
import { dayIntervalsFromHandovers } from '../market/handover-intervals.js';
import { MarketChain } from '../market/market-chain.js';
import { MarketService } from '../market/market-service.js';
import type { MarketSigner } from '../market/market-signer.js';
import { ApprovingSigner } from '../wallet/approving-signer.js';
import type { WalletService } from '../wallet/wallet-service.js';
import type { WireContext } from './wire-context.js';
import type { WalletChain } from './wire-wallet.js';

type MarketChannel = Extract<ChannelName, `market.${string}`>;

/**
 * Peer sales over the connected ledger. The market service is bound to one chain and contract,
 * so it is (re)built whenever the endpoint changes (Settings, or the demo chain coming up); until
 * one is configured every market channel answers MARKET_NOT_CONFIGURED.
 */
export function wireMarket(
  ctx: WireContext,
  deps: {
    chain: WalletChain & { rpcUrl(): string | null };
    wallet: WalletService;
    meterId: string;
    handovers: HandoverSource;
    exportHistory: ExportHistory;
    /** Blocks an anchor must be buried under before a sale counts it as proven. */
    minDepth: number;
  },
): { handlers: Pick<Handlers, MarketChannel> } {
  let current: { key: string; service: MarketService; handlers: Pick<Handlers, MarketChannel> } | null = null;
  ctx.disposables.add(() => current?.service.dispose());

  const signer: MarketSigner = {
    getAddress: async () => account(deps.wallet),
    signTypedData: async (domain, types, value) =>
      new ApprovingSigner(deps.wallet, account(deps.wallet), deps.chain.provider()).signTypedData(domain as never, types, value),
    sendTransaction: async (tx) => new ApprovingSigner(deps.wallet, account(deps.wallet), deps.chain.provider()).sendTransaction(tx),
  };

  const resolve = () => {
    const provider = deps.chain.provider();
    const address = deps.chain.address();
    const rpcUrl = deps.chain.rpcUrl();
    if (!provider || !address || !rpcUrl) {
      throw new WattletError('MARKET_NOT_CONFIGURED', 'No ledger endpoint and contract are configured yet', {});
    }
    const key = `${rpcUrl}|${address}`;
    if (current?.key !== key) {
      current?.service.dispose();
      const service = new MarketService({
        chain: new MarketChain({ provider, address }),
        signer,
        meterId: deps.meterId,
        intervals: dayIntervalsFromHandovers(deps.handovers),
        exportHistory: deps.exportHistory,
        events: ctx.bus,
        // Each anchor a sale relies on is proven like the Ledger page proves it (storage proof, header, depth).
        anchorCheck: ledgerAnchorCheck({ rpc: httpTransport(rpcUrl), contract: address, minDepth: deps.minDepth }),
      });
      current = { key, service, handlers: createMarketHandlers(service) };
    }
    return current.handlers;
  };

  const handlers = Object.fromEntries(
    (Object.keys(marketChannels) as MarketChannel[]).map((name) => [
      name,
      ((request: never, callCtx: never) => (resolve()[name] as Handler<MarketChannel>)(request, callCtx)) as Handler<MarketChannel>,
    ]),
  ) as Pick<Handlers, MarketChannel>;
  return { handlers };
}

function account(wallet: WalletService): string {
  const address = wallet.accounts()[0]?.address;
  if (!address) throw new WattletError('WALLET_EMPTY', 'Create or import a wallet first', {});
  return address;
}
