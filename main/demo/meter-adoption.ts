import { JsonRpcProvider, Wallet } from 'ethers';
import { demoAccounts } from '../ledger/chain/demo-accounts.js';
import type { DemoLedger } from '../ledger/chain/demo-ledger.js';
import type { Disposable } from '../lifecycle/disposables.js';

const ETH = 10n ** 18n;

/**
 * Demo mode's household takes over the demo meter: the wallet's account becomes its registered
 * owner (so it may attest and sell) and gets coins from demo account 0 to pay for gas. Adopting
 * the owner already registered does nothing; the faucet's key is Hardhat's public one.
 */
export class MeterAdoption implements Disposable {
  readonly #provider: JsonRpcProvider;
  #owner: string;
  /** One adoption at a time: two 'wallet.changed' in a row must not fund the same account twice. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly demo: DemoLedger) {
    this.#owner = demo.owner;
    this.#provider = new JsonRpcProvider(demo.url, demo.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  }

  /** Registers the meter to `owner` and funds it; resolves true when it did. */
  adopt(owner: string | undefined): Promise<boolean> {
    const next = this.#queue.then(async () => {
      if (!owner || owner === this.#owner) return false;
      await this.demo.operator.registerMeter(this.demo.meterId, owner);
      const faucet = new Wallet(demoAccounts(1)[0]!.privateKey, this.#provider);
      await (await faucet.sendTransaction({ to: owner, value: 100n * ETH })).wait();
      this.#owner = owner;
      return true;
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  dispose(): void {
    this.#provider.destroy();
  }
}
