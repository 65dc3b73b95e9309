/** Anything that holds a handle (device, database, listener, timer) and must be released. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Collects what a service created, and disposes it in reverse order of creation: the VS Code
 * IDisposable discipline, so a listener never outlives the device it listens to.
 */
export class DisposableStore implements Disposable {
  #items: Array<Disposable | (() => void | Promise<void>)> = [];
  #disposed = false;

  add<T extends Disposable | (() => void | Promise<void>)>(item: T): T {
    if (this.#disposed) throw new Error('DisposableStore already disposed');
    this.#items.push(item);
    return item;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const item of this.#items.reverse()) {
      try {
        await (typeof item === 'function' ? item() : item.dispose());
      } catch (e) {
        errors.push(e);
      }
    }
    this.#items = [];
    if (errors.length) throw new AggregateError(errors, 'Some resources failed to dispose');
  }
}
