import { JsonRpcProvider, type Provider } from 'ethers';
import type { Disposable } from '../../lifecycle/disposables.js';
import { Emitter, toDisposable, type Event, type Subscription } from '../../lifecycle/emitter.js';
import { MutableDisposable } from '../../lifecycle/mutable-disposable.js';

/** Where the ledger is: a JSON-RPC endpoint and the EnergyLedger's address (null while unknown). */
export interface ChainEndpoint {
  readonly rpcUrl: string | null;
  readonly contract: string | null;
}

/**
 * The chain as every room that talks to it takes it (ledger, wallet, market, demo), read on every
 * call: Settings' endpoint while one is configured, otherwise the local chain demo mode serves
 * once it is up.
 */
export interface LedgerChain {
  endpoint(): ChainEndpoint;
  /** The EnergyLedger's address, or null: the only verifying contract the wallet signs typed data for. */
  address(): string | null;
  /** One provider per endpoint, or null while there is none. */
  provider(): Provider | null;
  /** 'live' while Settings name an endpoint; 'demo' while the local chain stands in. */
  mode(): 'demo' | 'live';
  /** Blocks an anchor must be buried under to count: 0 on the local chain, 12 on a public one. */
  minDepth(): number;
  /** The local chain came or went. */
  readonly onDidChange: Event<void>;
}

/** Settings' part of the endpoint (the Settings shape, read afresh on each call). */
export interface ConfiguredEndpoint {
  readonly rpcUrl: string | null;
  readonly contractAddress: string | null;
}

interface CachedProvider extends Disposable {
  readonly url: string;
  readonly provider: JsonRpcProvider;
}

/**
 * The one connection to the chain. A provider is made for an endpoint the first time it is asked
 * for and kept until the endpoint changes (the old one is destroyed then, and at dispose), so
 * nobody else caches providers. Demo mode lends its local chain with `serveLocal`.
 */
export class ChainConnection implements LedgerChain, Disposable {
  readonly #configured: () => ConfiguredEndpoint;
  readonly #provider = new MutableDisposable<CachedProvider>();
  readonly #changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.#changed.event;
  #local: ChainEndpoint | null = null;

  constructor(options: { readonly configured: () => ConfiguredEndpoint }) {
    this.#configured = options.configured;
  }

  endpoint(): ChainEndpoint {
    const c = this.#configured();
    if (c.rpcUrl !== null) return { rpcUrl: c.rpcUrl, contract: c.contractAddress };
    return this.#local ?? { rpcUrl: null, contract: null };
  }

  address(): string | null {
    return this.endpoint().contract;
  }

  mode(): 'demo' | 'live' {
    return this.#configured().rpcUrl === null ? 'demo' : 'live';
  }

  minDepth(): number {
    return this.mode() === 'demo' ? 0 : 12;
  }

  provider(): Provider | null {
    const url = this.endpoint().rpcUrl;
    if (!url) return null;
    if (this.#provider.value?.url !== url) {
      // cacheTimeout −1: a balance or nonce read right after a transaction must see it.
      const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1, pollingInterval: 250 });
      this.#provider.value = { url, provider, dispose: () => provider.destroy() };
    }
    return this.#provider.value!.provider;
  }

  /**
   * Demo mode: the local chain serves while Settings name no endpoint. Disposing the returned
   * subscription withdraws it (the demo does when its chain stops).
   */
  serveLocal(endpoint: { readonly rpcUrl: string; readonly contract: string }): Subscription {
    this.#local = { rpcUrl: endpoint.rpcUrl, contract: endpoint.contract };
    this.#changed.fire();
    return toDisposable(() => {
      if (this.#local?.rpcUrl !== endpoint.rpcUrl) return;
      this.#local = null;
      this.#changed.fire();
    });
  }

  async dispose(): Promise<void> {
    this.#changed.dispose();
    await this.#provider.dispose();
  }
}
