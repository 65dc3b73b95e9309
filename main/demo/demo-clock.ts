import { JsonRpcProvider } from 'ethers';
import { WattletError } from '../api/errors.js';
import { dayOf, formatDay } from '../ledger/day.js';
import type { DemoLedger } from '../ledger/chain/demo-ledger.js';
import type { Disposable } from '../lifecycle/disposables.js';

/**
 * The demo chain's clock, which a person may move forward ("skip to after delivery") to see a sale
 * through in minutes: the chain's time jumps (Hardhat's evm_setNextBlockTimestamp, then a block
 * is mined at that time), and the demo operator anchors every day that has closed by then, as a
 * utility does the next morning. Time only goes forward; the wall clock is left alone.
 */
export class DemoClock implements Disposable {
  readonly #provider: JsonRpcProvider;

  constructor(
    private readonly demo: Pick<DemoLedger, 'url' | 'chainId' | 'meterId' | 'operator'>,
    /** Runs one anchoring at a time with the demo's own timer (one sender, one nonce). */
    private readonly serial: <T>(work: () => Promise<T>) => Promise<T>,
    private readonly wallNow: () => number,
  ) {
    this.#provider = new JsonRpcProvider(demo.url, demo.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  }

  async now(): Promise<number> {
    const b = await this.#provider.getBlock('latest');
    return b?.timestamp ?? Math.floor(this.wallNow() / 1000);
  }

  /** Moves the chain to `to` (unix seconds) and anchors the days closed by then; answers the days anchored. */
  async fastForward(to: number): Promise<{ now: number; anchoredDays: string[] }> {
    const now = await this.now();
    if (to < now) throw new WattletError('DEMO_CLOCK_BACKWARDS', 'The chain clock only goes forward', { now, to });
    try {
      if (to > now) await this.#provider.send('evm_setNextBlockTimestamp', [to]);
      await this.#provider.send('evm_mine', []);
    } catch (e) {
      throw new WattletError('DEMO_FAST_FORWARD_FAILED', 'The local chain did not move its clock', { step: 'clock' }, { cause: e });
    }
    // From the day before the wall clock's (the timer's last) up to the chain's yesterday.
    const from = dayOf(this.wallNow() / 1000) - 1;
    const until = dayOf(to) - 1;
    const days = Array.from({ length: Math.max(0, until - from + 1) }, (_, i) => from + i);
    let anchored: number[];
    try {
      anchored = await this.serial(() => this.demo.operator.anchorDays(this.demo.meterId, days));
    } catch (e) {
      throw new WattletError('DEMO_FAST_FORWARD_FAILED', 'The demo operator could not anchor the days', { step: 'anchor' }, { cause: e });
    }
    return { now: await this.now(), anchoredDays: anchored.map(formatDay) };
  }

  dispose(): void {
    this.#provider.destroy();
  }
}
