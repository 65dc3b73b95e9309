import type { LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';

export interface RepeatingLineMeterOptions {
  /** Bytes the meter pushes each period (a DSMR-like text block …). */
  readonly message: Uint8Array;
  /** The meter's own line settings. */
  readonly settings: LineSettings;
  readonly periodMs?: number;
  /** Split each message into pieces of this size sent back to back (a UART trickles bytes). */
  readonly pieceSize?: number;
}

/**
 * The simplest push meter: it repeats one message on a timer with its own line settings and
 * records what the host sent it. A stand-in byte source for adapter tests and the CLI demo;
 * the protocol simulators (sim/meters) are the real meters.
 */
export class RepeatingLineMeter implements SimulatedMeterLine {
  readonly received: Array<{ bytes: Uint8Array; sentWith: LineSettings }> = [];
  #host: WireHostSide | null = null;
  #timer: NodeJS.Timeout | null = null;
  sent = 0;

  /** The meter's line settings; tests change them to follow a speed switch. */
  settings: LineSettings;

  constructor(readonly options: RepeatingLineMeterOptions) {
    this.settings = options.settings;
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#stop();
    this.#timer = setInterval(() => this.sendOnce(), this.options.periodMs ?? 50);
    this.#timer.unref();
  }

  /** Push one message now (tests call it to avoid waiting for the timer). */
  sendOnce(): void {
    const host = this.#host;
    if (!host) return;
    const piece = this.options.pieceSize ?? this.options.message.length;
    for (let off = 0; off < this.options.message.length; off += piece) {
      host.fromMeter(this.options.message.subarray(off, off + piece), this.settings);
    }
    this.sent++;
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.received.push({ bytes, sentWith });
  }

  detach(): void {
    this.#host = null;
    this.#stop();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
