import type { MarketCallView } from '../../main/api/wallet.js';
import { formatTokenAmount, formatTokenPrice } from '../components/market/money.js';
import { kwhText, windowPhrase } from '../components/market/offer-sentence.js';

type T = (key: string, facts?: Record<string, string | number | null | undefined>) => string;
type DateTime = (ms: number, options?: Intl.DateTimeFormatOptions) => string;
type NumberFormat = (value: number | bigint, options?: Intl.NumberFormatOptions) => string;

/**
 * The one sentence a person reads first about a cancel, settle or reclaim of an offer on the ledger
 * ("Prove delivery of 1.8 of 2 kWh sold between 11:00 and 14:00 on 3 Dec and receive €0.31; the
 * buyer gets €0.03 back."), built from the wallet's reading of the ledger (MarketCallView), never
 * from a caller's words. A figure the wallet could not know is not said: the sentence then says what
 * is known. "Today" and "tomorrow" are the chain's days (its latest block), the clock the ledger
 * judges the call by.
 */
/**
 * Said under the sentence when the chain refuses the call as things stand (it would be mined as a
 * failure, costing its fee): normally the wallet refuses such a call before anyone is asked, unless
 * the caller fixed its gas.
 */
export function offerCallWarning(t: T, v: MarketCallView): string | null {
  return v.accepted ? null : t('wallet.approval.sentence.refused');
}

export function offerCallSentence(t: T, dateTime: DateTime, number: NumberFormat, v: MarketCallView): string {
  const money = {
    symbol: v.token.symbol ?? `${v.token.address.slice(0, 6)}…`,
    decimals: v.token.decimals,
    currency: v.inHouseholdCurrency ? v.householdCurrency : null,
  };
  const amount = (units: string) => formatTokenAmount(units, money, number);
  const energy = (wh: string) => kwhText(t, number, wh);
  const kwhNumber = (wh: string) => number(Number(wh) / 1000, { maximumFractionDigits: 3 });
  const nowMs = Number(v.chainNow) * 1000;
  const facts = {
    energy: energy(v.energyWh),
    sold: energy(v.soldWh),
    window: windowPhrase(t, dateTime, Number(v.deliveryStart), Number(v.deliveryEnd), nowMs, v.timeZone),
    price: formatTokenPrice(v.pricePerKWh.units, money, number),
  };
  const key = (k: string) => `wallet.approval.sentence.${k}`;
  switch (v.call) {
    case 'cancel': {
      if (v.soldWh === '0') return t(key('cancelUnsold'), facts);
      if (v.unsoldWh === '0') return t(key('cancelSoldOut'), facts);
      return t(key('cancelRest'), { ...facts, unsold: energy(v.unsoldWh) });
    }
    case 'settle': {
      const whom = t(key(v.buyers === 1 ? 'theBuyer' : 'theBuyers'));
      if (v.deliveredWh === null || v.sellerGets === null || v.buyersGetBack === null) {
        return t(key('settleUnknown'), { ...facts, escrow: amount(v.escrow.units), whom });
      }
      const known = { ...facts, whom, paid: amount(v.sellerGets.units), back: amount(v.buyersGetBack.units) };
      if (v.buyersGetBack.units === '0') return t(key('settleAll'), known);
      return t(key('settleShort'), { ...known, delivered: kwhNumber(v.deliveredWh), deliveredEnergy: energy(v.deliveredWh) });
    }
    case 'reclaim': {
      const mine = { ...facts, energy: energy(v.boughtWh), paid: amount(v.paid.units) };
      if (v.amount === null || v.cause === null) return t(key('reclaimNothing'), mine);
      if (v.cause === 'unsettled') return t(key('reclaimUnsettled'), { ...mine, amount: amount(v.amount.units) });
      const delivered = v.deliveredWh ?? '0';
      return t(key('reclaimShort'), { ...mine, amount: amount(v.amount.units), delivered: kwhNumber(delivered), deliveredEnergy: energy(delivered) });
    }
  }
}
