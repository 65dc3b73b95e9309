import type { EventBus } from '../api/event-bus.js';
import type { HistoryService } from '../history/service.js';
import type { ChainConnection } from '../ledger/chain/chain-connection.js';
import type { DemoLedger } from '../ledger/chain/demo-ledger.js';
import type { HandoverSource } from '../ledger/operator/demo-operator.js';
import { historyReadingSource } from '../ledger/operator/history-source.js';
import { DisposableStore } from '../lifecycle/disposables.js';
import type { Logger } from '../logging/logger.js';
import type { MeterSource } from '../meter/meter-source.js';
import type { WalletService } from '../wallet/wallet-service.js';
import { DemoChain } from './demo-chain.js';
import { demoHandlers, type DemoHandlers } from './demo-handlers.js';
import { startDemoMeter } from './demo-meter.js';
import { demoReadingSource } from './projected-readings.js';

export interface DemoPorts {
  /** The meter choice: 'demo' plays the meter too. */
  readonly meter: string;
  /** The household's meter serial when demo mode does not play it (the local chain registers that one). */
  readonly serial: string;
  /** Days of simulated past for an empty history, and closed days the operator anchors at start. */
  readonly days: number;
  readonly history: HistoryService;
  /** Played while Settings name no endpoint: the local chain is lent to it. */
  readonly chain: Pick<ChainConnection, 'serveLocal' | 'mode'>;
  /** Its first account adopts the meter. */
  readonly wallet: Pick<WalletService, 'accounts'>;
  readonly bus: Pick<EventBus, 'on' | 'emit'>;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface Demo {
  /** The simulated meter to read, when demo mode plays the meter (null: read the real one). */
  readonly meter: MeterSource | null;
  /** The demo operator's handovers, when demo mode plays the chain (null: the operator's files). */
  readonly handovers: HandoverSource | null;
  /** Resolves when the local chain is up with its first days anchored (null when not played or failed). */
  readonly ready: Promise<DemoLedger | null>;
  /** The demo currencies' addresses on the local chain (empty when it is not played, or until it is up). */
  tokens(): readonly string[];
  /** demo.status and demo.fastForward. */
  readonly handlers: DemoHandlers;
  dispose(): Promise<void>;
}

/**
 * The demo room: stands in for the parts a household without hardware or a chain lacks, and
 * only those. With the meter choice 'demo' it plays the meter (simulated cable and DSMR 5 meter,
 * with its past backfilled); while Settings name no ledger endpoint it plays the chain (a local
 * Hardhat network, the demo operator and its anchoring timer, the wallet adopting the meter, the
 * demo currencies funding every account, a chain clock a person may move forward).
 * Neither: it does nothing (its channels answer that it plays no chain).
 */
export function createDemo(ports: DemoPorts): Demo {
  const parts = new DisposableStore();
  const plays = ports.meter === 'demo';
  const meter = plays ? parts.add(startDemoMeter(ports.history, ports.now(), ports.days)) : null;
  const chain =
    ports.chain.mode() === 'demo'
      ? parts.add(
          new DemoChain({
            chain: ports.chain,
            meter: meter?.source.serial ?? ports.serial,
            // The operator reads the household's history, and, for quarters ahead of the wall clock
            // that a fast-forward closed on the chain, what the simulated meter will read then.
            readings: plays ? demoReadingSource(historyReadingSource(ports.history), ports.now) : historyReadingSource(ports.history),
            days: ports.days,
            wallet: ports.wallet,
            bus: ports.bus,
            logger: ports.logger,
            now: ports.now,
          }),
        )
      : null;
  return {
    meter: meter?.source ?? null,
    handovers: chain?.handovers ?? null,
    ready: chain?.ready ?? Promise.resolve(null),
    tokens: () => (chain?.tokens ?? []).map((t) => t.address),
    handlers: demoHandlers(chain, ports.bus, ports.now),
    dispose: () => parts.dispose(),
  };
}
