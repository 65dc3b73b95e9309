import type { EventBus } from '../api/event-bus.js';
import type { MyOffer, MyPurchase } from '../api/market.js';
import type { Disposable } from '../lifecycle/disposables.js';
import type { Notifier } from '../notifications/notification-service.js';

/** What the watch reads: each account's offers and purchases, as the Sell and Buy pages do. */
export interface SaleSource {
  accounts(): readonly string[];
  myOffers(account: string): Promise<readonly MyOffer[]>;
  myPurchases(account: string): Promise<readonly MyPurchase[]>;
}

export interface SaleWatchOptions {
  readonly source: () => SaleSource | null;
  readonly notifier: Notifier;
  /** 'market.changed' (and the demo's clock moving) make it look at once. */
  readonly events: Pick<EventBus, 'on'>;
  /** How often it looks anyway: another household's fill, or the chain's clock passing a window (default 30 s). */
  readonly everyMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Tells the person, through the notification centre, what happens to their sales while they look
 * elsewhere: an offer was filled, a sale is due to be settled, a sale was settled, escrow can be
 * reclaimed. Each is posted once per offer (and account), and withdrawn when it no longer holds
 * (settled, reclaimed). What stood before the watch first looked is its starting point, not news.
 */
export class SaleWatch implements Disposable {
  readonly #filled = new Map<string, number>();
  readonly #settled = new Set<string>();
  readonly #posted = new Set<string>();
  #seeded = false;
  #running: Promise<void> | null = null;
  #again = false;
  #disposed = false;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #subs: Disposable[];

  constructor(private readonly o: SaleWatchOptions) {
    this.#timer = setInterval(() => void this.look(), o.everyMs ?? 30_000);
    this.#subs = [o.events.on('market.changed', () => void this.look()), o.events.on('demo.timeMoved', () => void this.look())];
    void this.look();
  }

  /** Looks now (once at a time; a request while looking makes one more look after it). */
  look(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#look()
      .catch((e: unknown) => this.o.onError?.(e))
      .finally(() => {
        this.#running = null;
        if (this.#again && !this.#disposed) {
          this.#again = false;
          void this.look();
        }
      });
    return this.#running;
  }

  async #look(): Promise<void> {
    const source = this.o.source();
    if (!source) return;
    const quiet = !this.#seeded;
    for (const account of source.accounts()) {
      for (const o of await source.myOffers(account)) this.#offer(o, quiet);
      for (const p of await source.myPurchases(account)) this.#purchase(account, p);
    }
    this.#seeded = true;
  }

  #offer(o: MyOffer, quiet: boolean): void {
    const n = this.o.notifier;
    const seen = this.#filled.get(o.offerHash) ?? 0;
    this.#filled.set(o.offerHash, o.filledWh);
    if (!quiet && o.filledWh > seen) {
      n.notify({ kind: 'offerFilled', key: o.offerHash, severity: 'info', params: { offerId: o.offerHash, energyWh: o.filledWh }, link: { page: 'sell', anchor: `offer-${o.offerHash}` } });
    }
    this.#once(`due:${o.offerHash}`, o.canSettle, () =>
      n.notify({ kind: 'settlementDue', key: o.offerHash, severity: 'warning', params: { offerId: o.offerHash }, link: { page: 'sell', anchor: `offer-${o.offerHash}` } }),
    );
    if (!o.canSettle && this.#posted.delete(`due:${o.offerHash}`)) n.withdraw('settlementDue', o.offerHash);
    if (o.state === 'settled' && !this.#settled.has(o.offerHash)) {
      this.#settled.add(o.offerHash);
      if (!quiet) {
        n.notify({
          kind: 'offerSettled', key: o.offerHash, severity: 'info',
          params: { offerId: o.offerHash, deliveredWh: o.deliveredWh, amount: o.sellerPaid, symbol: o.token.symbol, decimals: o.token.decimals },
          link: { page: 'sell', anchor: `offer-${o.offerHash}` },
        });
      }
    }
  }

  #purchase(account: string, p: MyPurchase): void {
    const key = `${p.offerHash}:${account.toLowerCase()}`;
    this.#once(`reclaim:${key}`, p.canReclaim && p.refund !== null, () =>
      this.o.notifier.notify({
        kind: 'escrowReclaimable', key, severity: 'info',
        params: { offerId: p.offerHash, amount: p.refund, symbol: p.token.symbol, decimals: p.token.decimals },
        link: { page: 'buy', anchor: `purchase-${p.offerHash}` },
      }),
    );
    if (!p.canReclaim && this.#posted.delete(`reclaim:${key}`)) this.o.notifier.withdraw('escrowReclaimable', key);
  }

  #once(id: string, holds: boolean, post: () => void): void {
    if (!holds || this.#posted.has(id)) return;
    this.#posted.add(id);
    post();
  }

  dispose(): void {
    this.#disposed = true;
    clearInterval(this.#timer);
    for (const s of this.#subs) s.dispose();
  }
}
