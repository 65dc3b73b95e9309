import type { EventName, PayloadOf } from './contract.js';

type Listener = (event: EventName, payload: unknown) => void;

/**
 * Main-process fan-out of contract events to the hosts. Services emit typed payloads; each host
 * forwards to its clients. One bus per running app (constructed in the composition root).
 */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    for (const l of this.#listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken host connection must not stop the others from hearing the event.
      }
    }
  }

  /** Every event, for a host to forward. Returns the unsubscribe. */
  subscribeAll(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return this.subscribeAll((name, payload) => {
      if (name === event) listener(payload as PayloadOf<E>);
    });
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
