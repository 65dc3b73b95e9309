import { app as enApp } from './en/app.js';
import { diagnostics as enDiagnostics } from './en/diagnostics.js';
import { history as enHistory } from './en/history.js';
import { ledger as enLedger } from './en/ledger.js';
import { market as enMarket } from './en/market.js';
import { meter as enMeter } from './en/meter.js';
import { meterEvents as enMeterEvents } from './en/meter-events.js';
import { notifications as enNotifications } from './en/notifications.js';
import { protocols as enProtocols } from './en/protocols.js';
import { wallet as enWallet } from './en/wallet.js';
import { app as zhApp } from './zh-CN/app.js';
import { diagnostics as zhDiagnostics } from './zh-CN/diagnostics.js';
import { history as zhHistory } from './zh-CN/history.js';
import { ledger as zhLedger } from './zh-CN/ledger.js';
import { market as zhMarket } from './zh-CN/market.js';
import { meter as zhMeter } from './zh-CN/meter.js';
import { meterEvents as zhMeterEvents } from './zh-CN/meter-events.js';
import { notifications as zhNotifications } from './zh-CN/notifications.js';
import { protocols as zhProtocols } from './zh-CN/protocols.js';
import { wallet as zhWallet } from './zh-CN/wallet.js';

/**
 * One string table per language, one section per domain. Keys are addressed as
 * 'domain.path.to.key'; error codes are looked up in every domain's `errors`.
 * Each domain adds one import and one entry per language here.
 */
export const tables = {
  en: {
    app: enApp,
    meter: enMeter,
    protocols: enProtocols,
    history: enHistory,
    wallet: enWallet,
    ledger: enLedger,
    market: enMarket,
    diagnostics: enDiagnostics,
    notifications: enNotifications,
    meterEvents: enMeterEvents,
  },
  'zh-CN': {
    app: zhApp,
    meter: zhMeter,
    protocols: zhProtocols,
    history: zhHistory,
    wallet: zhWallet,
    ledger: zhLedger,
    market: zhMarket,
    diagnostics: zhDiagnostics,
    notifications: zhNotifications,
    meterEvents: zhMeterEvents,
  },
} satisfies Record<'en' | 'zh-CN', Record<string, unknown>>;

export type Language = keyof typeof tables;
export const languages: readonly Language[] = ['en', 'zh-CN'];
