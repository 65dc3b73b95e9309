import { getAddress } from 'ethers';
import { WattletError } from '../api/errors.js';
import type { TokenJson } from '../api/market.js';
import { tokenIsCurrency } from '../wallet/index.js';
import type { MarketChain } from './market-chain.js';
import { NATIVE_TOKEN } from './offer.js';

/** The chain's coin as the market shows it (its name is the chain's; demo and Energy Web: 18 decimals). */
export interface NativeCoin {
  readonly symbol: string;
  readonly decimals: number;
}

const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * The ISO 4217 currency a token is, read from its symbol as stablecoins name themselves: the code
 * itself or the code and one letter (EURC, EURe, CNYD, USDT). The household's currency wins when the
 * symbol names it; any other token (WETH, the chain's coin) is no currency, and no rate is assumed.
 */
export function currencyOfSymbol(symbol: string, householdCurrency: string | null): string | null {
  if (householdCurrency && tokenIsCurrency(symbol, householdCurrency)) return householdCurrency.toUpperCase();
  const letters = symbol.toUpperCase().replace(/[^A-Z]/g, '');
  for (const code of [letters, letters.length === 4 ? letters.slice(0, 3) : '']) {
    if (code.length === 3 && ISO_CURRENCIES.has(code) && code === symbol.toUpperCase().slice(0, 3)) return code;
  }
  return null;
}

/**
 * Reads tokens for the market: symbol and decimals from the chain (once per address: an ERC-20's
 * metadata does not change), refusing what it cannot count in (MARKET_TOKEN_UNSUPPORTED): no
 * contract, no symbol() or decimals(), more than 36 decimals, a symbol with nothing printable.
 */
export class MarketTokens {
  readonly #cache = new Map<string, Promise<{ symbol: string; decimals: number }>>();

  constructor(
    private readonly chain: MarketChain,
    private readonly native: NativeCoin,
    private readonly householdCurrency: () => string | null,
  ) {}

  async info(address: string): Promise<TokenJson> {
    const token = getAddress(address);
    if (token === NATIVE_TOKEN) {
      return { address: token, native: true, symbol: this.native.symbol, decimals: this.native.decimals, currency: null };
    }
    let meta = this.#cache.get(token);
    if (!meta) {
      meta = this.chain.erc20(token).then(({ symbol, decimals }) => {
        // Only letters, digits and a few marks: no control or bidi character reaches the screen.
        const clean = symbol.replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 12);
        if (!clean) throw new WattletError('MARKET_TOKEN_UNSUPPORTED', `${token} has no readable symbol`, { token, reason: 'symbol' });
        if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
          throw new WattletError('MARKET_TOKEN_UNSUPPORTED', `${token} states ${decimals} decimals`, { token, reason: 'decimals' });
        }
        return { symbol: clean, decimals };
      });
      this.#cache.set(token, meta);
      meta.catch(() => this.#cache.delete(token));
    }
    const { symbol, decimals } = await meta;
    return { address: token, native: false, symbol, decimals, currency: currencyOfSymbol(symbol, this.householdCurrency()) };
  }
}
