/**
 * Where the keyboard's focus goes when the window changes under it: after a move to another page
 * (its heading, or the part the address points at), and after an action whose result appears
 * somewhere else on the page (a verification's report, a saved file). A screen reader reads what
 * gets the focus, so the person hears where they are; without it the focus stays on the button
 * (or in the menu) and the result goes unnoticed.
 */

/** Focuses `el`, making it focusable by script only (tabindex -1) when it is not already. */
export function focusElement(el: HTMLElement | null, options: { scroll?: boolean } = {}): boolean {
  if (!el) return false;
  if (!el.matches('a[href], button, input, select, textarea, [tabindex]')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: options.scroll === false });
  return document.activeElement === el;
}

/**
 * The page's heading, or the element the address names inside `main`: by id, by `data-anchor`,
 * or a table row of that date (`data-date`, as the Ledger's day list marks its rows).
 */
export function pageTarget(main: ParentNode, anchor: string | null): HTMLElement | null {
  if (anchor) {
    const a = CSS.escape(anchor);
    const named = main.querySelector<HTMLElement>(`[id="${a}"], [data-anchor="${a}"], tr[data-date="${a}"]`);
    if (named) return named;
  }
  return main.querySelector<HTMLElement>('h1');
}

/**
 * Focuses the page's target once it is on screen: a page shows its heading at once, but the part
 * an address names may arrive with the page's data, so it is looked for a little while (the
 * heading gets the focus meanwhile, the named part when it appears).
 */
export function focusPage(main: HTMLElement, anchor: string | null, waitMs = 3000): () => void {
  let stopped = false;
  const heading = main.querySelector<HTMLElement>('h1');
  focusElement(heading ?? main);
  if (!anchor) return () => {};
  const started = Date.now();
  const look = () => {
    if (stopped) return;
    const target = pageTarget(main, anchor);
    if (target && target !== heading) focusElement(target);
    else if (Date.now() - started < waitMs) setTimeout(look, 100);
  };
  look();
  return () => {
    stopped = true;
  };
}
