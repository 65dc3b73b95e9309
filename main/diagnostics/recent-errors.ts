import type { RecentError } from '../api/diagnostics.js';
import type { Envelope } from '../api/contract.js';
import type { Dispatch } from '../api/dispatcher.js';
import { WattletError } from '../api/errors.js';

/**
 * The last coded errors any part reported, newest last, bounded. Findings read it (a permission
 * error from yesterday's open is why the meter shows nothing today) and the bundle carries it.
 */
export class RecentErrors {
  readonly #max: number;
  readonly #now: () => number;
  #items: RecentError[] = [];

  constructor(options: { max?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 200;
    this.#now = options.now ?? Date.now;
  }

  /** Record a WattletError (or anything thrown: non-coded errors are kept as INTERNAL). */
  record(error: unknown, source: string, at = this.#now()): void {
    const shape =
      error instanceof WattletError
        ? error.toJSON()
        : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), facts: {} };
    this.#items.push({ at, source, error: { code: shape.code, message: shape.message.slice(0, 500), facts: { ...shape.facts } } });
    if (this.#items.length > this.#max) this.#items.splice(0, this.#items.length - this.#max);
  }

  list(since = 0): RecentError[] {
    return this.#items.filter((e) => e.at >= since);
  }

  clear(): void {
    this.#items = [];
  }
}

/**
 * Wraps the dispatcher so every error envelope a channel answers is remembered: the composition
 * root uses this instead of the bare dispatcher, and support sees what the person saw.
 */
export function recordingDispatch(dispatch: Dispatch, errors: RecentErrors): Dispatch {
  return async (channel, request, ctx) => {
    const envelope: Envelope = await dispatch(channel, request, ctx);
    if (!envelope.ok) errors.record(WattletError.from(envelope.error), `api:${channel.slice(0, 80)}`);
    return envelope;
  };
}
