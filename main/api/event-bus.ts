import { Emitter, type ListenerErrorHandler, type Subscription } from '../lifecycle/emitter.js';
import type { EventName, PayloadOf } from './contract.js';

type Listener = (event: EventName, payload: unknown) => void;

/**
 * Main-process fan-out of contract events to the hosts. Services emit typed payloads; each host
 * forwards to its clients. One bus per running app (constructed in the composition root), carried
 * by the one Emitter: a listener that throws (a broken host connection) neither stops the others
 * from hearing the event nor reaches the service that emitted it; its error goes to
 * `onListenerError` (the composition root's logger).
 */
export class EventBus {
  readonly #emitter: Emitter<{ readonly event: EventName; readonly payload: unknown }>;

  constructor(options: { readonly onListenerError?: ListenerErrorHandler } = {}) {
    this.#emitter = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    this.#emitter.fire({ event, payload });
  }

  /** Every event, for a host to forward. */
  subscribeAll(listener: Listener): Subscription {
    return this.#emitter.event(({ event, payload }) => listener(event, payload));
  }

  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): Subscription {
    return this.#emitter.event((e) => {
      if (e.event === event) listener(e.payload as PayloadOf<E>);
    });
  }

  dispose(): void {
    this.#emitter.dispose();
  }
}
