import type { ResponseOf, WattletApi } from '../../../main/api/contract.js';
import type { TokenJson } from '../../../main/api/market.js';
import { Activity } from '../../lib/activity.svelte.js';
import { EventStore } from '../../lib/event-store.svelte.js';
import type { Visibility } from '../../lib/visibility.js';

type Surplus = ResponseOf<'market.surplus'>;
type Prices = ResponseOf<'market.prices'>;
type Accounts = ResponseOf<'market.accounts'>;
export type PricedToken = TokenJson & { balance: string | null };
const changed = ['market.changed', 'demo.timeMoved'] as const;
const walletEvents = ['wallet.changed', 'wallet.locked', 'wallet.unlocked'] as const;

/** Which side a page shows: the seller's account defaults to the meter's owner, the buyer's to another. */
export type MarketSide = 'sell' | 'buy';

/**
 * The Sell and Buy pages' state: the account the person acts with (the account picker), the offer
 * book, that account's offers and purchases (each read again when the main process reports a
 * market change or the demo's clock moved; a page starts the ones it shows), the money offers are
 * priced in, the surplus and the household's rates for a new offer's window, and the one action in
 * flight (each write waits for one approval in the wallet window, so only one at a time).
 */
export class MarketStore {
  readonly activity = new Activity();
  readonly accounts: EventStore<Accounts>;
  readonly book: EventStore<ResponseOf<'market.offers'>>;
  readonly myOffers: EventStore<ResponseOf<'market.myOffers'>>;
  readonly myPurchases: EventStore<ResponseOf<'market.myPurchases'>>;
  readonly demo: EventStore<ResponseOf<'demo.status'>>;
  /** The account picked; null: the page's default (see `account`). */
  picked = $state<string | null>(null);
  tokens = $state<PricedToken[]>([]);
  surplus = $state<Surplus | null>(null);
  prices = $state<Prices | null>(null);
  readonly #api: WattletApi;
  readonly #side: MarketSide;

  constructor(api: WattletApi, visibility?: Visibility, side: MarketSide = 'sell') {
    this.#api = api;
    this.#side = side;
    const shown = visibility ? { visibility } : {};
    const watch = { on: changed, ...shown };
    this.accounts = new EventStore(api, { load: () => api.invoke('market.accounts', {}), on: [...walletEvents, 'market.changed'], ...shown });
    const who = () => (this.account ? { account: this.account } : {});
    this.book = new EventStore(api, { load: () => api.invoke('market.offers', who()), ...watch });
    this.myOffers = new EventStore(api, { load: () => api.invoke('market.myOffers', who()), ...watch });
    this.myPurchases = new EventStore(api, { load: () => api.invoke('market.myPurchases', who()), ...watch });
    this.demo = new EventStore(api, { load: () => api.invoke('demo.status', {}), on: ['demo.timeMoved'], ...shown });
  }

  /** The account acting: the one picked, else the meter's owner (to sell) or the first other account (to buy). */
  get account(): string | null {
    const list = this.accounts.value?.accounts ?? [];
    if (this.picked && list.some((a) => a.address === this.picked)) return this.picked;
    if (list.length === 0) return null;
    const owner = list.find((a) => a.meterOwner);
    if (this.#side === 'sell') return (owner ?? list[0]!).address;
    return (list.find((a) => !a.meterOwner) ?? list[0]!).address;
  }

  /** The chain's clock as the last answer told it (chain time moves ahead of the wall clock in the demo). */
  get chainNow(): number | null {
    return this.demo.value?.chainNow ?? this.book.value?.now ?? this.myOffers.value?.now ?? this.myPurchases.value?.now ?? null;
  }

  /** Picks the account to act with, and reads what it sees. */
  async pick(address: string): Promise<void> {
    this.picked = address;
    await Promise.all([this.book.reload(), this.myOffers.reload(), this.myPurchases.reload(), this.loadTokens()]);
  }

  async loadTokens(): Promise<void> {
    await this.activity.load(async () => {
      const account = this.account;
      this.tokens = (await this.#api.invoke('market.tokens', account ? { account } : {})).tokens;
    });
  }

  /** Any ERC-20 the person names: read from the chain, added to the choices. */
  async addToken(address: string): Promise<PricedToken | null> {
    let found: PricedToken | null = null;
    await this.activity.load(async () => {
      const account = this.account;
      found = await this.#api.invoke('market.token', { address, ...(account ? { account } : {}) });
      const known = found;
      this.tokens = [known, ...this.tokens.filter((t) => t.address !== known.address)];
    });
    return found;
  }

  async loadSurplus(deliveryStart: number, deliveryEnd: number): Promise<void> {
    await this.activity.load(async () => {
      this.surplus = await this.#api.invoke('market.surplus', { deliveryStart, deliveryEnd });
    });
  }

  async loadPrices(deliveryStart: number, deliveryEnd: number, token: string): Promise<void> {
    await this.activity.load(async () => {
      this.prices = await this.#api.invoke('market.prices', { deliveryStart, deliveryEnd, token });
    });
  }

  createOffer(req: { energyWh: number; minFillWh: number; pricePerKWh: string; deliveryStart: number; deliveryEnd: number; token: string }): Promise<boolean> {
    return this.activity.run('create', async () => {
      const account = this.account;
      await this.#api.invoke('market.createOffer', { ...req, ...(account ? { account } : {}) });
      this.activity.say('market.sell.created');
      await this.myOffers.reload();
    });
  }

  fill(offerHash: string, energyWh: number): Promise<boolean> {
    return this.activity.run(`fill:${offerHash}`, async () => {
      const account = this.account;
      await this.#api.invoke('market.fill', { offerHash, energyWh, ...(account ? { account } : {}) });
      this.activity.say('market.buy.bought', { wh: energyWh });
      await Promise.all([this.book.reload(), this.myPurchases.reload()]);
    });
  }

  cancel(offerHash: string): Promise<boolean> {
    return this.activity.run(`cancel:${offerHash}`, async () => {
      const account = this.account;
      await this.#api.invoke('market.cancel', { offerHash, ...(account ? { account } : {}) });
      this.activity.say('market.cancelled');
      await this.myOffers.reload();
    });
  }

  settle(offerHash: string, format: (units: string) => string = (u) => u): Promise<boolean> {
    return this.activity.run(`settle:${offerHash}`, async () => {
      const account = this.account;
      const r = await this.#api.invoke('market.settle', { offerHash, ...(account ? { account } : {}) });
      this.activity.say('market.settled', { delivered: r.deliveredWh, paid: format(r.sellerPaid) });
      await this.myOffers.reload();
    });
  }

  reclaim(offerHash: string): Promise<boolean> {
    return this.activity.run(`reclaim:${offerHash}`, async () => {
      const account = this.account;
      await this.#api.invoke('market.reclaim', { offerHash, ...(account ? { account } : {}) });
      this.activity.say('market.buy.reclaimed');
      await this.myPurchases.reload();
    });
  }

  /** Demo mode: moves the chain's clock to `to` and has the demo operator anchor the days closed by then. */
  fastForward(to: number): Promise<boolean> {
    return this.activity.run(`skip:${to}`, async () => {
      const r = await this.#api.invoke('demo.fastForward', { to });
      this.activity.say('market.demo.skipped', { days: r.anchoredDays.length });
      await Promise.all([this.demo.reload(), this.myOffers.reload(), this.myPurchases.reload(), this.book.reload()]);
    });
  }
}
