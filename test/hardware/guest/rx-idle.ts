import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { emit } from './report.js';

/**
 * Tells the host how many bytes arrived once the line goes quiet, so the host knows a burst
 * (e.g. half a telegram before an unplug) really reached the guest before acting on it.
 */
export class RxIdleReporter {
  #timer: NodeJS.Timeout | null = null;
  readonly #off: () => void;

  constructor(port: SerialPort, attempt: number, quietMs = 300) {
    this.#off = port.onData(() => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => emit({ event: 'rx-idle', bytesIn: port.stats.bytesIn, attempt }), quietMs);
    });
  }

  dispose(): void {
    this.#off();
    if (this.#timer) clearTimeout(this.#timer);
  }
}
