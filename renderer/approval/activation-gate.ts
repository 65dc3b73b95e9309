/** How long Approve stays disabled after the prompt appears or comes back to the front (as Frame). */
export const ACTIVATION_DELAY_MS = 1500;

export interface GateTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Arms the Approve button only once the prompt has been on screen, in front, for a while: a
 * click or key press meant for another window (the prompt popping up under the pointer, a
 * window switch mid-click) lands on a disabled button. Every event that can put the prompt
 * under a person's hand unannounced restarts the wait: the request being shown (or replaced),
 * the window gaining focus, the page becoming visible. Losing focus or visibility disarms at
 * once.
 */
export class ActivationGate {
  #armed = false;
  #shown = false;
  #focused = true;
  #visible = true;
  #timer: unknown = null;

  constructor(
    private readonly onChange: (armed: boolean) => void,
    private readonly delayMs: number = ACTIVATION_DELAY_MS,
    private readonly timers: GateTimers = {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {}

  get armed(): boolean {
    return this.#armed;
  }

  /** A (new) request is on screen. */
  shown(): void {
    this.#shown = true;
    this.#restart();
  }

  /** Nothing to approve any more (decided, gone). */
  cleared(): void {
    this.#shown = false;
    this.#disarm();
  }

  focus(): void {
    this.#focused = true;
    this.#restart();
  }

  blur(): void {
    this.#focused = false;
    this.#disarm();
  }

  visibility(visible: boolean): void {
    this.#visible = visible;
    if (visible) this.#restart();
    else this.#disarm();
  }

  dispose(): void {
    this.#cancel();
  }

  #restart(): void {
    this.#disarm();
    if (!this.#shown || !this.#focused || !this.#visible) return;
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = null;
      this.#set(true);
    }, this.delayMs);
  }

  #disarm(): void {
    this.#cancel();
    this.#set(false);
  }

  #cancel(): void {
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #set(armed: boolean): void {
    if (this.#armed === armed) return;
    this.#armed = armed;
    this.onChange(armed);
  }
}
