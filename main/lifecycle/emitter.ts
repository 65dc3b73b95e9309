import type { Disposable } from './disposables.js';

/** What a subscription returns: dispose() stops the listener; calling it twice is harmless. */
export interface Subscription extends Disposable {
  dispose(): void;
}

/** A subscribable event: `emitter.event(listener)` (VS Code's Event<T>). */
export type Event<T> = (listener: (value: T) => void) => Subscription;

/**
 * What happens when a listener throws. The one policy of the app: the throw never reaches the
 * emitter's caller nor stops the other listeners (a failing diagnostics view must not fail the
 * meter port that fires it), and it is never dropped: it goes to `onListenerError`, which the
 * owner wires to its logger. Without one it is written to stderr, still visibly.
 */
export type ListenerErrorHandler = (error: unknown) => void;

const toStderr: ListenerErrorHandler = (error) => {
  process.stderr.write(`wattlet: an event listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
};

export interface EmitterOptions {
  readonly onListenerError?: ListenerErrorHandler;
  /** Called when the first listener subscribes / the last one leaves (start and stop a source lazily). */
  readonly onFirstListener?: () => void;
  readonly onLastListenerRemoved?: () => void;
}

/**
 * The one event emitter of the main process (after VS Code's Emitter<T>). Listeners run in
 * subscription order; one added or removed while firing takes effect from the next fire.
 */
export class Emitter<T> implements Disposable {
  #listeners: Array<(value: T) => void> = [];
  #disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {}

  readonly event: Event<T> = (listener) => {
    if (this.#disposed) return { dispose() {} };
    this.#listeners = [...this.#listeners, listener];
    if (this.#listeners.length === 1) this.options.onFirstListener?.();
    let live = true;
    return {
      dispose: () => {
        if (!live) return;
        live = false;
        const i = this.#listeners.indexOf(listener);
        if (i < 0) return;
        this.#listeners = this.#listeners.filter((_, j) => j !== i);
        if (this.#listeners.length === 0) this.options.onLastListenerRemoved?.();
      },
    };
  };

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  fire(value: T): void {
    // The array is replaced, never mutated, on (un)subscribe: iterating this snapshot is safe.
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch (error) {
        (this.options.onListenerError ?? toStderr)(error);
      }
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const had = this.#listeners.length > 0;
    this.#listeners = [];
    if (had) this.options.onLastListenerRemoved?.();
  }
}

/** Wraps a plain teardown function as a Subscription that runs it at most once. */
export function toDisposable(teardown: () => void): Subscription {
  let live = true;
  return {
    dispose() {
      if (!live) return;
      live = false;
      teardown();
    },
  };
}
