import type { EventName, WattletApi } from '../../main/api/contract.js';
import { documentVisibility, type Visibility } from './visibility.js';

export interface EventStoreOptions<T> {
  /** Reads the value through the API. */
  readonly load: () => Promise<T>;
  /** The events after which the value is stale (`market.changed`, `history.appended` …). */
  readonly on: readonly EventName[];
  /** A burst of events makes one reload this long after the first (default: at once). */
  readonly settleMs?: number;
  readonly visibility?: Visibility;
}

/**
 * A value the main process owns, kept current: loaded when started, loaded again after each of
 * the named events (podman-desktop's event store). While the window is hidden an event only marks
 * the value stale, and it is loaded when the window shows again. An answer that arrives after a
 * newer one is dropped, so a slow reload never overwrites a fresh one.
 */
export class EventStore<T> {
  value = $state<T | undefined>(undefined);
  error = $state<unknown>(null);
  loading = $state(false);
  #seq = 0;
  #stale = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #api: WattletApi;
  readonly #options: EventStoreOptions<T>;
  readonly #visibility: Visibility;

  constructor(api: WattletApi, options: EventStoreOptions<T>) {
    this.#api = api;
    this.#options = options;
    this.#visibility = options.visibility ?? documentVisibility;
  }

  /** Loads now and after every named event; returns the stop. */
  start(): () => void {
    void this.reload();
    const stops = [
      ...this.#options.on.map((event) => this.#api.on(event, () => this.#changed())),
      this.#visibility.onChange(() => {
        if (!this.#visibility.hidden && this.#stale) void this.reload();
      }),
    ];
    return () => {
      for (const stop of stops) stop();
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#seq++; // answers still on their way are no longer wanted
    };
  }

  async reload(): Promise<void> {
    const seq = ++this.#seq;
    this.#stale = false;
    this.loading = true;
    try {
      const value = await this.#options.load();
      if (seq !== this.#seq) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (seq === this.#seq) this.error = e;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  #changed(): void {
    if (this.#visibility.hidden) {
      this.#stale = true;
      return;
    }
    const settle = this.#options.settleMs ?? 0;
    if (settle === 0) {
      void this.reload();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.reload();
      }, settle);
    }
  }
}
