import { i18n } from '../../lib/i18n.svelte.js';

/** A word from a table of the i18n, or the tariff's own name for it when the table has none. */
function named(table: string, id: string): string {
  const k = `${table}.${id}`;
  const t = i18n.t(k);
  return t === k ? id : t;
}

/** A bill line's key ('energy:peak:2', 'export:excess', 'tax:vat', 'other:…') in words. */
export function lineLabel(key: string): string {
  const [kind, a = '', b = ''] = key.split(':');
  const win = (w: string) => named('history.bills.window', w);
  switch (kind) {
    case 'energy':
      return b === '0' ? i18n.t('history.bills.kind.energy', { window: win(a) }) : i18n.t('history.bills.kind.energyTier', { window: win(a), tier: b });
    case 'export':
      return a === '' ? i18n.t('history.bills.kind.export') : a === 'excess' ? i18n.t('history.bills.kind.exportExcess') : i18n.t('history.bills.kind.exportWindow', { window: win(a) });
    case 'net':
      return i18n.t('history.bills.kind.net', { window: win(a) });
    case 'standing':
      return i18n.t('history.bills.kind.standing', { id: named('history.bills.charge', a) });
    case 'tax':
      return i18n.t('history.bills.kind.tax', { id: named('history.bills.charge', a) });
    default:
      return key.startsWith('other:') ? key.slice(6) : key;
  }
}
