import type { ChannelName } from '../api/contract.js';
import type { Handler, Handlers } from '../api/dispatcher.js';
import { WattletError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import { marketChannels } from '../api/market.js';
import type { LedgerChain } from '../ledger/chain/chain-connection.js';
import type { HandoverSource } from '../ledger/operator/demo-operator.js';
import { httpTransport } from '../ledger/rpc/json-rpc.js';
import { DisposableStore } from '../lifecycle/disposables.js';
import { MutableDisposable } from '../lifecycle/mutable-disposable.js';
import type { Notifier } from '../notifications/notification-service.js';
import type { WalletService } from '../wallet/wallet-service.js';
import { ledgerAnchorCheck } from './anchor-check.js';
import type { ExportHistory } from './export-history.js';
import { createMarketHandlers, type MarketHandlers } from './handlers.js';
import { dayIntervalsFromHandovers, dayRegionPathsFromHandovers } from './handover-intervals.js';
import { MarketChain } from './market-chain.js';
import type { HouseholdTariff } from './household-tariff.js';
import { MarketService } from './market-service.js';
import { SaleWatch } from './sale-watch.js';
import { walletMarketAccounts } from './wallet-signer.js';

type MarketChannel = Extract<ChannelName, `market.${string}`>;

export interface MarketPorts {
  /** Where the EnergyMarket is (the EnergyLedger's address, on the connected chain). */
  readonly chain: LedgerChain;
  /** Signs offers and transactions after a person approves them. */
  readonly wallet: WalletService;
  /** The household's meter (bytes32), whose anchored export a sale settles on; null: it only buys. */
  readonly meterId: string | null;
  /** The operator's intervals with salts and the meter's region paths: the ledger's own handovers. */
  readonly handovers: HandoverSource;
  readonly exportHistory: ExportHistory;
  /** The household's tariff: prices are shown next to its own import and feed-in rates. */
  readonly tariff?: HouseholdTariff;
  /** Tokens offered for pricing besides those already on the ledger (the demo's euro and yuan). */
  readonly knownTokens?: () => readonly string[];
  /** Where sales' news go (filled, due, settled, reclaimable); none: nothing is posted. */
  readonly notifier?: Notifier;
  /** 'market.changed' out; 'market.changed' and 'demo.timeMoved' in (the sale watch). */
  readonly bus: Pick<EventBus, 'emit' | 'on'>;
  readonly onError?: (error: unknown) => void;
}

interface BoundMarket {
  /** The endpoint and contract this service is bound to. */
  readonly key: string;
  readonly service: MarketService;
  readonly handlers: MarketHandlers;
  dispose(): void;
}

export interface Market {
  /** The service for the chain connected now (null until one is). */
  readonly service: MarketService | null;
  readonly handlers: MarketHandlers;
  dispose(): Promise<void>;
}

/**
 * Peer sales over the connected ledger. A MarketService is bound to one chain and contract, so
 * the room holds the current one in a MutableDisposable and replaces it (disposing the old) when
 * the endpoint changes: Settings, or demo mode's chain coming up. Until one is configured every
 * market channel answers MARKET_NOT_CONFIGURED.
 */
export function createMarket(ports: MarketPorts): Market {
  const current = new MutableDisposable<BoundMarket>();
  const accounts = walletMarketAccounts(ports.wallet, () => ports.chain.provider());
  const parts = new DisposableStore();

  const bound = (): BoundMarket => {
    const { rpcUrl, contract } = ports.chain.endpoint();
    const provider = ports.chain.provider();
    if (!provider || !contract || !rpcUrl) {
      throw new WattletError('MARKET_NOT_CONFIGURED', 'No ledger endpoint and contract are configured yet', {});
    }
    const key = `${rpcUrl}|${contract}`;
    if (current.value?.key !== key) {
      const service = new MarketService({
        chain: new MarketChain({ provider, address: contract }),
        accounts,
        meterId: ports.meterId,
        intervals: dayIntervalsFromHandovers(ports.handovers),
        regionPaths: dayRegionPathsFromHandovers(ports.handovers),
        exportHistory: ports.exportHistory,
        events: ports.bus,
        // Each anchor a sale relies on is proven like the Ledger page proves it (storage proof, header, depth).
        anchorCheck: ledgerAnchorCheck({ rpc: httpTransport(rpcUrl), contract, minDepth: ports.chain.minDepth() }),
        ...(ports.tariff ? { tariff: ports.tariff } : {}),
        ...(ports.knownTokens ? { knownTokens: ports.knownTokens } : {}),
      });
      current.value = { key, service, handlers: createMarketHandlers(service), dispose: () => service.dispose() };
    }
    return current.value!;
  };

  const handlers = Object.fromEntries(
    (Object.keys(marketChannels) as MarketChannel[]).map((name) => [
      name,
      ((request: never, ctx: never) => (bound().handlers[name] as Handler<MarketChannel>)(request, ctx)) as Handler<MarketChannel>,
    ]),
  ) as Pick<Handlers, MarketChannel>;
  const service = (): MarketService | null => {
    try {
      return bound().service;
    } catch {
      return null; // no chain yet: nothing to watch
    }
  };
  if (ports.notifier) {
    parts.add(
      new SaleWatch({
        notifier: ports.notifier,
        events: ports.bus,
        onError: (e) => ports.onError?.(e),
        source: () => {
          const s = service();
          return s
            ? {
                accounts: () => accounts.list().map((a) => a.address),
                myOffers: async (a) => (await s.myOffers(a)).offers,
                myPurchases: async (a) => (await s.myPurchases(a)).purchases,
              }
            : null;
        },
      }),
    );
  }
  return {
    get service() {
      return current.value?.service ?? null;
    },
    handlers,
    dispose: async () => {
      await parts.dispose();
      current.dispose();
    },
  };
}
