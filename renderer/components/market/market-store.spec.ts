import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../main/api/dispatcher.js';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { WattletError } from '../../../main/api/errors.js';
import { EventBus } from '../../../main/api/event-bus.js';
import type { BookEntry, MyPurchase, SignedOfferJson } from '../../../main/api/market.js';
import { rendererApi, until } from '../../../test/support/renderer-api.js';
import { MarketStore } from './market-store.svelte.js';

// The market needs a chain, a wallet and a person approving in another window (test/e2e/market.spec.ts
// runs all of it). Here the store meets the real dispatcher and event bus, which check every request
// and answer against the contract, over a small market kept in memory that answers as the service does
// (it reports its own changes as market.changed).

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const SELLER = `0x${'5e'.repeat(20)}`;
const NATIVE = `0x${'00'.repeat(20)}`;
const visible = { hidden: false, onChange: () => () => {} };
const ETH = { address: NATIVE, native: true, symbol: 'ETH', decimals: 18, currency: null };
const OWNER = `0x${'0a'.repeat(20)}`;
const NEIGHBOUR = `0x${'0b'.repeat(20)}`;

function offer(n: number, energyWh: number): SignedOfferJson {
  return { seller: SELLER, meterId: hash(0xe0), energyWh, minFillWh: 100, pricePerKWh: '190000000000000', token: NATIVE, deliveryStart: 1_800_000_000 + n * 900, deliveryEnd: 1_800_003_600 + n * 900, expiry: 1_800_000_000, nonce: String(n) };
}

function memoryMarket() {
  const bus = new EventBus();
  const book = new Map<string, BookEntry>();
  const purchases = new Map<string, MyPurchase>();
  const gates: Array<() => void> = [];
  let holdFills = false;
  for (const n of [1, 2]) {
    book.set(hash(n), {
      offerHash: hash(n), offer: offer(n, 3000), filledWh: 0, remainingWh: 3000, state: 'open',
      sellerRecord: { anchoredExportWh: 12_000, settledSoldWh: 0, deliveredWh: 0, settledSales: 0, shortSales: 0, lapsedSales: 0 },
      token: ETH, own: null, rates: null, windowOk: true,
    });
  }
  const asked: Array<string | undefined> = [];
  const handlers: Partial<Handlers> = {
    'market.accounts': () => ({
      accounts: [
        { address: OWNER, label: 'Home', meterOwner: true, nativeBalance: '0' },
        { address: NEIGHBOUR, label: 'Neighbour', meterOwner: false, nativeBalance: '0' },
      ],
      meterId: hash(0xe0), householdCurrency: 'EUR', timeZone: 'Europe/Amsterdam',
    }),
    'market.offers': (req) => {
      asked.push(req.account);
      return { offers: [...book.values()], now: 1_799_990_000 };
    },
    'market.myPurchases': () => ({ purchases: [...purchases.values()], now: 1_799_990_000 }),
    'market.fill': async ({ offerHash, energyWh }) => {
      if (holdFills) await new Promise<void>((release) => gates.push(release));
      const entry = book.get(offerHash);
      if (!entry) throw new WattletError('MARKET_OFFER_NOT_FOUND', 'no such offer', { offerHash });
      if (energyWh > entry.remainingWh) throw new WattletError('MARKET_OVERFILL', 'more than is left', { requestedWh: energyWh, availableWh: entry.remainingWh });
      book.set(offerHash, { ...entry, filledWh: entry.filledWh + energyWh, remainingWh: entry.remainingWh - energyWh });
      const paid = String((BigInt(energyWh) * 190_000_000_000_000n + 999n) / 1000n);
      purchases.set(offerHash, {
        offerHash, offer: entry.offer, state: 'open', proofStatus: 'pending-delivery', energyWh, paid, refund: null, deliveredWh: null, reclaimed: false, canReclaim: false, anchorsVerified: null,
        token: ETH, rates: null, timeline: [{ step: 'bought', status: 'done', at: 1_799_990_000, facts: { energyWh, paid } }],
      });
      bus.emit('market.changed', { offerHash, kind: 'filled' });
      return { offerHash, txHash: hash(0xf1), paid };
    },
    'market.settle': ({ offerHash }) => ({ offerHash, txHash: hash(0x5e), provenWh: 2000, deliveredWh: 2000, sellerPaid: '380000000000000' }),
  };
  return {
    bus,
    book,
    asked,
    api: rendererApi({ dispatch: createDispatcher(handlers), bus }),
    hold: () => void (holdFills = true),
    release: () => gates.splice(0).forEach((go) => go()),
    /** Another household buys: the ledger changes without this app acting. */
    someoneElseBuys(offerHash: string, wh: number) {
      const entry = book.get(offerHash)!;
      book.set(offerHash, { ...entry, filledWh: entry.filledWh + wh, remainingWh: entry.remainingWh - wh });
      bus.emit('market.changed', { offerHash, kind: 'filled' });
    },
  };
}

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function buyPage(m: ReturnType<typeof memoryMarket>): MarketStore {
  const store = new MarketStore(m.api, visible, 'buy');
  stops.push(store.accounts.start(), store.book.start(), store.myPurchases.start());
  return store;
}

describe('MarketStore (Buy page)', () => {
  it('buys: busy while the purchase waits, then says so and shows the book and my purchases as they are now', async () => {
    const m = memoryMarket();
    const store = buyPage(m);
    await until(() => store.book.value?.offers.length === 2 && store.myPurchases.value !== undefined);
    m.hold();
    const buying = store.fill(hash(1), 1200);
    await until(() => store.activity.busy === `fill:${hash(1)}`);
    expect(store.activity.notice).toBeNull();
    m.release();
    expect(await buying).toBe(true);
    expect(store.activity.busy).toBeNull();
    expect(store.activity.notice).toEqual({ key: 'market.buy.bought', facts: { wh: 1200 } });
    expect(store.activity.error).toBeNull();
    expect(store.book.value?.offers.find((o) => o.offerHash === hash(1))?.remainingWh).toBe(1800);
    expect(store.myPurchases.value?.purchases).toMatchObject([{ offerHash: hash(1), energyWh: 1200, paid: '228000000000000' }]);
  });

  it('shows a refused purchase as its typed error, with the facts to say it, and no notice', async () => {
    const m = memoryMarket();
    const store = buyPage(m);
    await until(() => store.book.value !== undefined);
    expect(await store.fill(hash(2), 5000)).toBe(false);
    expect(store.activity.error).toMatchObject({ code: 'MARKET_OVERFILL', facts: { requestedWh: 5000, availableWh: 3000 } });
    expect(store.activity.notice).toBeNull();
    expect(m.book.get(hash(2))?.remainingWh).toBe(3000);
  });

  it('asks the main process for one purchase at a time: a second click while one waits reaches nothing', async () => {
    const m = memoryMarket();
    const store = buyPage(m);
    await until(() => store.book.value !== undefined);
    m.hold();
    const first = store.fill(hash(1), 100);
    await until(() => m.api.calls.includes('market.fill'));
    expect(await store.fill(hash(2), 100)).toBe(false);
    m.release();
    await first;
    expect(m.api.calls.filter((c) => c === 'market.fill')).toHaveLength(1);
    expect(m.book.get(hash(2))?.remainingWh).toBe(3000);
  });

  it('reads the book again when the ledger changes without this app (market.changed)', async () => {
    const m = memoryMarket();
    const store = buyPage(m);
    await until(() => store.book.value !== undefined);
    m.someoneElseBuys(hash(2), 700);
    await until(() => store.book.value?.offers.find((o) => o.offerHash === hash(2))?.remainingWh === 2300);
  });
});

describe('MarketStore (account picker)', () => {
  it('acts as the meter owner to sell, another account to buy, and as the account the person picks', async () => {
    const m = memoryMarket();
    const seller = new MarketStore(m.api, visible, 'sell');
    const buyer = buyPage(m);
    stops.push(seller.accounts.start());
    await until(() => seller.accounts.value !== undefined && buyer.accounts.value !== undefined);
    expect(seller.account).toBe(OWNER);
    expect(buyer.account).toBe(NEIGHBOUR);
    await buyer.pick(OWNER);
    expect(buyer.account).toBe(OWNER);
    // What the picked account sees is asked for in its name.
    expect(m.asked.at(-1)).toBe(OWNER);
  });
});

describe('MarketStore (Sell page)', () => {
  it('settles and says what was delivered and paid, in the money of the offer', async () => {
    const m = memoryMarket();
    const store = new MarketStore(m.api, visible);
    expect(await store.settle(hash(1), (units) => `€${units}`)).toBe(true);
    expect(store.activity.notice).toEqual({ key: 'market.settled', facts: { delivered: 2000, paid: '€380000000000000' } });
  });

  it('a channel this mode does not serve comes back as NOT_AVAILABLE, kept as the error of the load', async () => {
    const m = memoryMarket();
    const store = new MarketStore(m.api, visible);
    await store.loadSurplus(1_800_000_000, 1_800_003_600);
    expect(store.activity.error).toMatchObject({ code: 'NOT_AVAILABLE', facts: { channel: 'market.surplus' } });
    expect(store.surplus).toBeNull();
  });
});
