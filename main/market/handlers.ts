import type { Handlers } from '../api/dispatcher.js';
import type { MarketService } from './market-service.js';

type MarketChannel = Extract<keyof Handlers, `market.${string}`>;
export type MarketHandlers = Pick<Handlers, MarketChannel>;

/** The market's channels of the contract (main/api/market.ts), over one MarketService. */
export function createMarketHandlers(market: MarketService): MarketHandlers {
  return {
    'market.accounts': () => market.accounts(),
    'market.tokens': (req) => market.tokens(req.account),
    'market.token': (req) => market.token(req.address, req.account),
    'market.prices': (req) => market.prices(req.deliveryStart, req.deliveryEnd, req.token),
    'market.offers': (req) => market.offers(req.includeClosed, req.account),
    'market.surplus': (req) => market.surplus(req.deliveryStart, req.deliveryEnd, req.lookbackDays),
    'market.createOffer': async (req) => {
      const r = await market.createOffer({ ...req, pricePerKWh: BigInt(req.pricePerKWh) });
      return { offerHash: r.offerHash, txHash: r.txHash, signature: r.signature, offer: { ...r.offer, pricePerKWh: r.offer.pricePerKWh.toString(), nonce: r.offer.nonce.toString() } };
    },
    'market.fill': async (req) => {
      const r = await market.fill(req.offerHash, req.energyWh, req.account);
      return { ...r, paid: r.paid.toString() };
    },
    'market.cancel': (req) => market.cancel(req.offerHash, req.account),
    'market.settle': async (req) => {
      const r = await market.settle(req.offerHash, req.account);
      return { ...r, sellerPaid: r.sellerPaid.toString() };
    },
    'market.reclaim': async (req) => {
      const r = await market.reclaim(req.offerHash, req.account);
      return { ...r, amount: r.amount.toString() };
    },
    'market.myOffers': (req) => market.myOffers(req.account),
    'market.myPurchases': (req) => market.myPurchases(req.account),
  };
}
