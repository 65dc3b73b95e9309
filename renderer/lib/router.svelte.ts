export const pageIds = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;
export type PageId = (typeof pageIds)[number];

interface Address {
  readonly page: PageId;
  readonly anchor: string | null;
}

function fromHash(): Address {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const page = (pageIds as readonly string[]).includes(path) ? (path as PageId) : 'overview';
  return { page, anchor: new URLSearchParams(query).get('at') };
}

/** The address of a page, and of a part of it (`#/ledger?at=2025-03-02`). */
export function pageHref(page: PageId, anchor?: string | null): string {
  return anchor ? `#/${page}?${new URLSearchParams({ at: anchor })}` : `#/${page}`;
}

/**
 * Hash routing: a page is an address (#/history), so back/forward and reloads work. `anchor` is
 * the part of the page the address points at (an element id, or a page's own sub-address such as
 * a day); `navigations` counts the moves made after the first page, so the shell moves the focus
 * after a move and not when the window opens.
 */
class Router {
  page = $state<PageId>(fromHash().page);
  anchor = $state<string | null>(fromHash().anchor);
  navigations = $state(0);

  constructor() {
    window.addEventListener('hashchange', () => {
      const next = fromHash();
      this.page = next.page;
      this.anchor = next.anchor;
      this.navigations++;
    });
  }

  go(page: PageId, anchor?: string | null): void {
    const href = pageHref(page, anchor);
    // The same address again is no hashchange, but the person asked to be taken there.
    if (location.hash === href) this.navigations++;
    else location.hash = href;
  }
}

export const router = new Router();
