export const pageIds = ['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings'] as const;
export type PageId = (typeof pageIds)[number];

function fromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '').split(/[?&]/)[0] ?? '';
  return (pageIds as readonly string[]).includes(id) ? (id as PageId) : 'overview';
}

/** Hash routing: a page is an address (#/history), so back/forward and reloads work. */
class Router {
  page = $state<PageId>(fromHash());

  constructor() {
    window.addEventListener('hashchange', () => {
      this.page = fromHash();
    });
  }

  go(page: PageId): void {
    location.hash = `/${page}`;
  }
}

export const router = new Router();
