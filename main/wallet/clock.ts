/**
 * Time as the wallet sees it. Injected so tests can drive auto-lock and approval timeouts
 * without waiting; production uses the system clock.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    // A pending auto-lock must not keep a CLI or test process alive.
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};
