import { isOnAppOrigin, type AppHost } from './app-origin.js';

/**
 * Which app origin each web contents was made for. The main window is given `app`, the approval
 * window `approval`; a contents nobody assigned (a devtools host, anything unexpected) may go
 * nowhere. One assignment per contents: a window never changes origin.
 */
export class WindowOrigins<K extends object> {
  readonly #origins = new WeakMap<K, AppHost>();

  assign(contents: K, host: AppHost): void {
    const current = this.#origins.get(contents);
    if (current !== undefined && current !== host) throw new Error(`this web contents already belongs to ${current}`);
    this.#origins.set(contents, host);
  }

  /** Whether `contents` may navigate to (or be served) `url`: exactly its own origin. */
  allows(contents: K, url: string): boolean {
    const host = this.#origins.get(contents);
    return host !== undefined && isOnAppOrigin(url, host);
  }
}
