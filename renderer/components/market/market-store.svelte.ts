import type { ResponseOf, WattletApi } from '../../../main/api/contract.js';
import { Activity } from '../../lib/activity.svelte.js';
import { EventStore } from '../../lib/event-store.svelte.js';
import type { Visibility } from '../../lib/visibility.js';
import { formatCoin } from './coin.js';

type Surplus = ResponseOf<'market.surplus'>;
const changed = ['market.changed'] as const;

/**
 * The Sell and Buy pages' state: the offer book, my offers and my purchases (each read again when
 * the main process reports a market change; a page starts the ones it shows), the surplus and the
 * suggested price of a new offer, and the one action in flight (each write waits for the person's
 * approval in the wallet window, so only one at a time).
 */
export class MarketStore {
  readonly activity = new Activity();
  readonly book: EventStore<ResponseOf<'market.offers'>>;
  readonly myOffers: EventStore<ResponseOf<'market.myOffers'>>;
  readonly myPurchases: EventStore<ResponseOf<'market.myPurchases'>>;
  surplus = $state<Surplus | null>(null);
  suggestedPerKWh = $state<string | null>(null);
  readonly #api: WattletApi;

  constructor(api: WattletApi, visibility?: Visibility) {
    this.#api = api;
    const watch = visibility ? { on: changed, visibility } : { on: changed };
    this.book = new EventStore(api, { load: () => api.invoke('market.offers', {}), ...watch });
    this.myOffers = new EventStore(api, { load: () => api.invoke('market.myOffers', {}), ...watch });
    this.myPurchases = new EventStore(api, { load: () => api.invoke('market.myPurchases', {}), ...watch });
  }

  async loadSurplus(deliveryStart: number, deliveryEnd: number): Promise<void> {
    await this.activity.load(async () => {
      this.surplus = await this.#api.invoke('market.surplus', { deliveryStart, deliveryEnd });
    });
  }

  async suggest(feedInPerKWh: string, importPerKWh: string): Promise<void> {
    await this.activity.load(async () => {
      this.suggestedPerKWh = (await this.#api.invoke('market.suggestPrice', { feedInPerKWh, importPerKWh })).suggestedPerKWh;
    });
  }

  createOffer(req: { energyWh: number; pricePerKWh: string; deliveryStart: number; deliveryEnd: number }): Promise<boolean> {
    return this.activity.run('create', async () => {
      await this.#api.invoke('market.createOffer', req);
      this.activity.say('market.sell.created');
      await this.myOffers.reload();
    });
  }

  fill(offerHash: string, energyWh: number): Promise<boolean> {
    return this.activity.run(`fill:${offerHash}`, async () => {
      await this.#api.invoke('market.fill', { offerHash, energyWh });
      this.activity.say('market.buy.bought', { wh: energyWh });
      await Promise.all([this.book.reload(), this.myPurchases.reload()]);
    });
  }

  cancel(offerHash: string): Promise<boolean> {
    return this.activity.run(`cancel:${offerHash}`, async () => {
      await this.#api.invoke('market.cancel', { offerHash });
      this.activity.say('market.cancelled');
      await this.myOffers.reload();
    });
  }

  settle(offerHash: string): Promise<boolean> {
    return this.activity.run(`settle:${offerHash}`, async () => {
      const r = await this.#api.invoke('market.settle', { offerHash });
      this.activity.say('market.settled', { delivered: r.deliveredWh, paid: formatCoin(r.sellerPaid) });
      await this.myOffers.reload();
    });
  }

  reclaim(offerHash: string): Promise<boolean> {
    return this.activity.run(`reclaim:${offerHash}`, async () => {
      await this.#api.invoke('market.reclaim', { offerHash });
      this.activity.say('market.buy.reclaimed');
      await this.myPurchases.reload();
    });
  }
}
