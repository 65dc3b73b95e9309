import type { Logger } from '../logging/logger.js';

export interface RefusalLogOptions {
  readonly logger: Logger;
  /** Refusals written one line each per window; later ones in the window are only counted. */
  readonly burst?: number;
  /** Length of a window; at its end one summary line gives the counts of the unwritten ones. */
  readonly windowMs?: number;
}

/**
 * The log of refused connections and requests, rate-limited. Anyone on the machine can knock on
 * 127.0.0.1 as fast as they like; one line per knock would let them fill the disk (20,000 refused
 * attempts in five seconds once added 2.2 MB). So each window writes the first `burst` refusals in
 * full and then one summary line per reason count, whatever the flood: at most burst + 1 lines
 * per window. Never logs a request target (the WebSocket's carries the token).
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #burst: number;
  readonly #windowMs: number;
  #written = 0;
  #counted = new Map<string, number>();
  #window: NodeJS.Timeout | null = null;

  constructor(options: RefusalLogOptions) {
    this.#logger = options.logger;
    this.#burst = options.burst ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
  }

  /**
   * One refusal: `reason` is a short stable word (host, target, origin, unauthorized, protocol…),
   * never one the log's redactor takes for a secret's name ('token', 'key'), since the summary
   * uses reasons as keys.
   */
  refuse(message: string, reason: string, facts: Record<string, unknown> = {}): void {
    if (!this.#window) {
      this.#window = setTimeout(() => this.#close(), this.#windowMs);
      this.#window.unref();
    }
    if (this.#written < this.#burst) {
      this.#written++;
      this.#logger.warn(message, { reason, ...facts });
      return;
    }
    this.#counted.set(reason, (this.#counted.get(reason) ?? 0) + 1);
  }

  #close(): void {
    if (this.#window) clearTimeout(this.#window);
    this.#window = null;
    this.#written = 0;
    if (this.#counted.size === 0) return;
    const byReason = Object.fromEntries(this.#counted);
    const count = [...this.#counted.values()].reduce((a, b) => a + b, 0);
    this.#counted = new Map();
    this.#logger.warn('refused more connections than were logged one by one', {
      count,
      byReason,
      windowSeconds: Math.round(this.#windowMs / 1000),
    });
  }

  /** Writes the summary of the open window, if anything went unwritten, and stops the timer. */
  dispose(): void {
    this.#close();
  }
}
