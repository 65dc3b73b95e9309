import { i18n } from '../../lib/i18n.svelte.js';

/** A bill line's key ('energy:peak:2', 'export:excess', 'tax:vat', 'other:…') in words. */
export function lineLabel(key: string): string {
  const [kind, a = '', b = ''] = key.split(':');
  const win = (w: string) => {
    const k = `history.bills.window.${w}`;
    const t = i18n.t(k);
    return t === k ? w : t;
  };
  switch (kind) {
    case 'energy':
      return b === '0' ? i18n.t('history.bills.kind.energy', { window: win(a) }) : i18n.t('history.bills.kind.energyTier', { window: win(a), tier: b });
    case 'export':
      return a === '' ? i18n.t('history.bills.kind.export') : a === 'excess' ? i18n.t('history.bills.kind.exportExcess') : i18n.t('history.bills.kind.exportWindow', { window: win(a) });
    case 'net':
      return i18n.t('history.bills.kind.net', { window: win(a) });
    case 'standing':
      return i18n.t('history.bills.kind.standing', { id: a });
    case 'tax':
      return i18n.t('history.bills.kind.tax', { id: a });
    default:
      return key.startsWith('other:') ? key.slice(6) : key;
  }
}
