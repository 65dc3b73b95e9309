import type { Disposable } from './disposables.js';

/**
 * Holds the one current value of something that gets replaced (a service rebuilt when its
 * endpoint changes): setting a new value disposes the old one first, and dispose() releases the
 * current one. VS Code's MutableDisposable, with async disposal awaited in order.
 */
export class MutableDisposable<T extends Disposable> implements Disposable {
  #value: T | undefined;
  #disposed = false;
  #settling: Promise<void> = Promise.resolve();

  get value(): T | undefined {
    return this.#value;
  }

  /** Replaces the value; the previous one is disposed (awaited before the next replacement's). */
  set value(next: T | undefined) {
    if (this.#disposed) {
      if (next) this.#settle(next);
      return;
    }
    if (next === this.#value) return;
    const previous = this.#value;
    this.#value = next;
    if (previous) this.#settle(previous);
  }

  /** Resolves when every replaced value has finished disposing. */
  settled(): Promise<void> {
    return this.#settling;
  }

  async dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      const current = this.#value;
      this.#value = undefined;
      if (current) this.#settle(current);
    }
    await this.#settling;
  }

  #settle(old: T): void {
    this.#settling = this.#settling.then(async () => {
      await old.dispose();
    });
  }
}
