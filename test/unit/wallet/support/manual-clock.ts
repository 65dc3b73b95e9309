import type { Clock } from '../../../../main/wallet/clock.js';

/** A clock the test moves by hand: auto-lock and approval timeouts without waiting. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000;
  #timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number) {
    const t = { at: this.#now + ms, fn, cancelled: false };
    this.#timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.#now = due.at;
      due.fn();
    }
    this.#now = until;
  }
}
