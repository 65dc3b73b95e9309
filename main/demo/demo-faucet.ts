import { JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import { demoAccounts } from '../ledger/chain/demo-accounts.js';
import type { DemoLedger } from '../ledger/chain/demo-ledger.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { deployDemoTokens, mintDemoToken, type DemoTokenInfo } from './demo-tokens.js';

const ETH = 10n ** 18n;

/**
 * Demo mode's faucet (demo account 3, Hardhat's public key; account 0 is busy as the operator and
 * account 4 owns the simulated neighbours' meters, so no two senders share a nonce): deploys the demo currencies and gives
 * every wallet account, once, coins for fees and the demo currencies to buy with, so a second
 * account (a neighbour's imported key) can buy as well as the household's own can sell. One
 * funding at a time, so two 'wallet.changed' in a row never give twice.
 */
export class DemoFaucet implements Disposable {
  readonly #provider: JsonRpcProvider;
  readonly #signer: NonceManager;
  readonly #funded = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  #tokens: DemoTokenInfo[] = [];
  #disposed = false;

  constructor(demo: Pick<DemoLedger, 'url' | 'chainId'>) {
    this.#provider = new JsonRpcProvider(demo.url, demo.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
    this.#signer = new NonceManager(new Wallet(demoAccounts(4)[3]!.privateKey, this.#provider));
  }

  get tokens(): readonly DemoTokenInfo[] {
    return this.#tokens;
  }

  start(): Promise<readonly DemoTokenInfo[]> {
    // Through the queue, so a dispose waits for the deployment as it waits for a funding.
    const next = this.#queue.then(async () => (this.#tokens = await deployDemoTokens(this.#signer)));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Funds each address not funded yet; resolves with the ones it funded. */
  fund(addresses: readonly string[]): Promise<string[]> {
    const next = this.#queue.then(async () => {
      const done: string[] = [];
      for (const a of addresses) {
        if (this.#disposed) break;
        const key = a.toLowerCase();
        if (this.#funded.has(key)) continue;
        if ((await this.#provider.getBalance(a)) < 10n * ETH) {
          await (await this.#signer.sendTransaction({ to: a, value: 100n * ETH })).wait();
        }
        for (const t of this.#tokens) await mintDemoToken(this.#signer, t.address, a, t.gift);
        this.#funded.add(key);
        done.push(a);
      }
      return done;
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  /**
   * Lets the funding under way finish its current step (destroying the provider under it would
   * reject requests ethers has no one waiting on), then closes the provider. Hardhat mines at
   * once, so the wait is one transaction's at most; it is bounded all the same.
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.race([this.#queue, new Promise((ok) => setTimeout(ok, 5_000).unref())]);
    this.#provider.destroy();
  }
}
