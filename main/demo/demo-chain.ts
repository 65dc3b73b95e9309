import type { EventBus } from '../api/event-bus.js';
import type { ChainConnection } from '../ledger/chain/chain-connection.js';
import { startDemoLedger, type DemoLedger } from '../ledger/chain/demo-ledger.js';
import { meterIdOf } from '../ledger/chain/meter-id.js';
import type { HandoverSource } from '../ledger/operator/demo-operator.js';
import type { ReadingSource } from '../ledger/operator/reading-source.js';
import { DisposableStore, type Disposable } from '../lifecycle/disposables.js';
import type { Logger } from '../logging/logger.js';
import type { WalletService } from '../wallet/wallet-service.js';
import { DemoClock } from './demo-clock.js';
import { DemoFaucet } from './demo-faucet.js';
import type { DemoTokenInfo } from './demo-tokens.js';
import { MeterAdoption } from './meter-adoption.js';

/** How often the demo operator anchors the days that closed since. */
const ANCHOR_EVERY_MS = 10 * 60_000;

export interface DemoChainPorts {
  /** Lent the local chain once it is up (withdrawn when the demo stops). */
  readonly chain: Pick<ChainConnection, 'serveLocal'>;
  /** The household's meter (serial or bytes32 id): the one the operator anchors. */
  readonly meter: string;
  /** What the operator reads the meter's intervals from: the household's own history (and, ahead of the wall clock, the simulated meter's projection). */
  readonly readings: ReadingSource;
  /** Closed days to anchor at start (1–60). */
  readonly days: number;
  /** Its first account adopts the meter; every account is funded. */
  readonly wallet: Pick<WalletService, 'accounts'>;
  /** 'wallet.changed' re-runs the adoption and the funding; 'demo.timeMoved' after a fast-forward. */
  readonly bus: Pick<EventBus, 'on' | 'emit'>;
  readonly logger: Logger;
  /** The wall clock in ms. */
  readonly now: () => number;
}

/**
 * Demo mode's chain, started in the background so the window opens at once: a local Hardhat
 * network with EnergyLedger, the demo operator anchoring the last closed days from the
 * household's history and again every ten minutes, the demo currencies (EURD, CNYD), the wallet's
 * first account adopting the meter and every account funded, and a clock a person may move
 * forward. Until it is up the ledger reads 'not configured'; the operator's handovers answer null.
 */
export class DemoChain implements Disposable {
  readonly #disposables = new DisposableStore();
  #ledger: DemoLedger | null = null;
  #clock: DemoClock | null = null;
  #faucet: DemoFaucet | null = null;
  /** One anchoring at a time (the timer's and a fast-forward's): one operator account, one nonce. */
  #anchoring: Promise<unknown> = Promise.resolve();
  /** Resolves when the chain is up, the contract deployed and the first days anchored (null if it failed or was stopped). */
  readonly ready: Promise<DemoLedger | null>;
  readonly handovers: HandoverSource = {
    handover: async (meterId, day) => (this.#ledger ? this.#ledger.operator.handover(meterId, day) : null),
    regionPath: async (meterId, day) => (this.#ledger ? this.#ledger.operator.regionPath(meterId, day) : null),
  };

  constructor(private readonly ports: DemoChainPorts) {
    // A start the app stops half-way (the window closed, a test done) is not a failure of the
    // start: whatever it got to is disposed with the rest, and `ready` answers null, never throws.
    this.ready = startDemoLedger({ source: ports.readings, meterId: meterIdOf(ports.meter), days: Math.max(1, Math.min(ports.days, 60)) })
      .then((started) => this.#serve(started))
      .catch((error: unknown) => {
        if (!this.#disposables.disposed) ports.logger.error('demo ledger failed to start', { error });
        return null;
      });
  }

  /** The demo currencies on the chain (empty until it is up). */
  get tokens(): readonly DemoTokenInfo[] {
    return this.#faucet?.tokens ?? [];
  }

  /** The chain's clock, to move forward; null until the chain is up. */
  get clock(): DemoClock | null {
    return this.#clock;
  }

  #serial = <T,>(work: () => Promise<T>): Promise<T> => {
    const next = this.#anchoring.then(work);
    this.#anchoring = next.catch(() => {});
    return next;
  };

  async #serve(started: DemoLedger): Promise<DemoLedger | null> {
    const { ports } = this;
    if (this.#disposables.disposed) {
      await started.dispose();
      return null;
    }
    this.#ledger = started;
    this.#disposables.add(started);
    const adoption = this.#disposables.add(new MeterAdoption(started));
    const faucet = this.#disposables.add(new DemoFaucet(started));
    try {
      await faucet.start();
      this.#faucet = faucet;
    } catch (error) {
      if (!this.#disposables.disposed) ports.logger.error('demo currencies failed to deploy', { error });
    }
    // Stopped while the currencies deployed: start nothing more (no timer would be cleared).
    if (this.#disposables.disposed) return null;
    this.#clock = this.#disposables.add(new DemoClock(started, this.#serial, ports.now));
    const adopt = async () => {
      const owner = ports.wallet.accounts()[0]?.address;
      try {
        if (await adoption.adopt(owner)) ports.logger.info('demo meter registered to the wallet', { owner });
      } catch (error) {
        ports.logger.error('demo meter registration failed', { error });
      }
      if (!this.#faucet) return;
      try {
        const funded = await this.#faucet.fund(ports.wallet.accounts().map((a) => a.address));
        if (funded.length) ports.logger.info('demo accounts funded', { accounts: funded.length });
      } catch (error) {
        ports.logger.error('demo funding failed', { error });
      }
    };
    if (this.#disposables.disposed) return null;
    const timer = setInterval(() => void this.#serial(() => started.anchorClosedDays()).catch((error: unknown) => ports.logger.error('anchoring failed', { error })), ANCHOR_EVERY_MS);
    this.#disposables.add(() => clearInterval(timer));
    this.#disposables.add(ports.bus.on('wallet.changed', () => void adopt()));
    await adopt();
    if (this.#disposables.disposed) return null;
    this.#disposables.add(ports.chain.serveLocal({ rpcUrl: started.url, contract: started.contract }));
    ports.logger.info('demo ledger ready', { url: started.url, contract: started.contract });
    return started;
  }

  /** Stops everything it started; a chain still starting is stopped as soon as it is up, before this resolves. */
  async dispose(): Promise<void> {
    this.#ledger = null;
    this.#clock = null;
    this.#faucet = null;
    await this.#disposables.dispose();
    await this.ready;
  }
}
