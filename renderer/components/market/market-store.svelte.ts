import type { BookEntry, MyOffer, MyPurchase } from '../../../main/api/market.js';
import type { ResponseOf } from '../../../main/api/contract.js';
import { api } from '../../lib/api.js';
import { formatCoin } from './coin.js';

type Surplus = ResponseOf<'market.surplus'>;

/**
 * The Sell and Buy pages' state: the offer book, my offers, my purchases, and the one action in
 * flight (each write waits for the person's approval in the wallet window, so only one at a time).
 * Refreshes itself when the main process reports a market change.
 */
export class MarketStore {
  offers = $state<BookEntry[]>([]);
  myOffers = $state<MyOffer[]>([]);
  myPurchases = $state<MyPurchase[]>([]);
  surplus = $state<Surplus | null>(null);
  suggestedPerKWh = $state<string | null>(null);
  /** Block time of the last answer: the clock offers are judged by. */
  now = $state(0);
  busy = $state<string | null>(null);
  error = $state<unknown>(null);
  notice = $state<{ key: string; facts?: Record<string, string | number> } | null>(null);

  async loadBook(): Promise<void> {
    await this.#guard(async () => {
      const r = await api.invoke('market.offers', {});
      this.offers = r.offers;
      this.now = r.now;
    });
  }

  async loadMyOffers(): Promise<void> {
    await this.#guard(async () => {
      const r = await api.invoke('market.myOffers', {});
      this.myOffers = r.offers;
      this.now = r.now;
    });
  }

  async loadMyPurchases(): Promise<void> {
    await this.#guard(async () => {
      const r = await api.invoke('market.myPurchases', {});
      this.myPurchases = r.purchases;
      this.now = r.now;
    });
  }

  async loadSurplus(deliveryStart: number, deliveryEnd: number): Promise<void> {
    await this.#guard(async () => {
      this.surplus = await api.invoke('market.surplus', { deliveryStart, deliveryEnd });
    });
  }

  async suggest(feedInPerKWh: string, importPerKWh: string): Promise<void> {
    await this.#guard(async () => {
      this.suggestedPerKWh = (await api.invoke('market.suggestPrice', { feedInPerKWh, importPerKWh })).suggestedPerKWh;
    });
  }

  async createOffer(req: { energyWh: number; pricePerKWh: string; deliveryStart: number; deliveryEnd: number }): Promise<void> {
    await this.#action('create', async () => {
      await api.invoke('market.createOffer', req);
      this.notice = { key: 'market.sell.created' };
      await this.loadMyOffers();
    });
  }

  async fill(offerHash: string, energyWh: number): Promise<void> {
    await this.#action(`fill:${offerHash}`, async () => {
      await api.invoke('market.fill', { offerHash, energyWh });
      this.notice = { key: 'market.buy.bought', facts: { wh: energyWh } };
      await Promise.all([this.loadBook(), this.loadMyPurchases()]);
    });
  }

  async cancel(offerHash: string): Promise<void> {
    await this.#action(`cancel:${offerHash}`, async () => {
      await api.invoke('market.cancel', { offerHash });
      this.notice = { key: 'market.cancelled' };
      await this.loadMyOffers();
    });
  }

  async settle(offerHash: string): Promise<void> {
    await this.#action(`settle:${offerHash}`, async () => {
      const r = await api.invoke('market.settle', { offerHash });
      this.notice = { key: 'market.settled', facts: { delivered: r.deliveredWh, paid: formatCoin(r.sellerPaid) } };
      await this.loadMyOffers();
    });
  }

  async reclaim(offerHash: string): Promise<void> {
    await this.#action(`reclaim:${offerHash}`, async () => {
      await api.invoke('market.reclaim', { offerHash });
      this.notice = { key: 'market.buy.reclaimed' };
      await this.loadMyPurchases();
    });
  }

  /** Re-reads what `reload` names whenever the main process reports a market change; returns the unsubscribe. */
  watch(reload: () => void): () => void {
    return api.on('market.changed', () => reload());
  }

  async #action(name: string, run: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = name;
    this.notice = null;
    try {
      await this.#guard(run);
    } finally {
      this.busy = null;
    }
  }

  async #guard(run: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await run();
    } catch (e) {
      this.error = e;
    }
  }
}
