import type { DecodeEvent } from '../protocols/decoder.js';
import type { Clock } from './clock.js';

interface Waiter {
  match: (e: DecodeEvent) => boolean;
  resolve: (e: DecodeEvent | null) => void;
  cancel: () => void;
}

/**
 * Request/response over a byte stream: the decoder's events are fed in, and a poller awaits the
 * first event that answers its request, or null when the meter stays silent past the timeout.
 */
export class EventWaiter {
  #waiters: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  feed(e: DecodeEvent): void {
    const i = this.#waiters.findIndex((w) => w.match(e));
    if (i < 0) return;
    const [w] = this.#waiters.splice(i, 1);
    w!.cancel();
    w!.resolve(e);
  }

  wait(match: (e: DecodeEvent) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<DecodeEvent | null> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#remove(w);
        cancelTimer();
        reject(signal!.reason);
      };
      const cancelTimer = this.clock.after(timeoutMs, () => {
        this.#remove(w);
        signal?.removeEventListener('abort', onAbort);
        resolve(null);
      });
      const w: Waiter = {
        match,
        resolve: (e) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(e);
        },
        cancel: cancelTimer,
      };
      this.#waiters.push(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #remove(w: Waiter): void {
    this.#waiters = this.#waiters.filter((x) => x !== w);
  }

  /** Fail every pending wait as a timeout (the link went away). */
  clear(): void {
    for (const w of this.#waiters.splice(0)) {
      w.cancel();
      w.resolve(null);
    }
  }
}
