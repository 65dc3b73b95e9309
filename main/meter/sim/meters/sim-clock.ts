/**
 * Time for simulated meters, injectable so tests can run a whole day in milliseconds and so a
 * meter's clock can drift from the host's as real ones do.
 */
export interface SimClock {
  now(): number;
  /** Run `fn` after `ms`; returns the cancel. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: SimClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return () => clearTimeout(t);
  },
};

/** A clock that only moves when told: `advance(ms)` fires due timers in order. */
export class ManualClock implements SimClock {
  #now: number;
  #timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #id = 0;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.#id;
    this.#timers.push({ at: this.#now + Math.max(0, ms), fn, id });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.#now = next.at;
      next.fn();
    }
    this.#now = target;
  }
}

/** A meter clock that runs `driftPpm` fast (or slow) against `base`, from `epoch`. */
export function driftingClock(base: SimClock, driftPpm: number, epoch = base.now()): SimClock {
  return {
    now: () => {
      const t = base.now();
      return Math.round(t + ((t - epoch) * driftPpm) / 1e6);
    },
    after: (ms, fn) => base.after(ms, fn),
  };
}
