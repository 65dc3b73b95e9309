import type { LineSettings } from '../../../../main/meter/serial/line-settings.js';
import { uartReceive } from '../../../../main/meter/sim/adapters/uart-wire.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../../main/meter/sim/wire.js';

/**
 * The device at the far end of a simulated chip's serial line, set by the test to the line
 * settings the host asked Linux for: it reads what arrives at its own settings and sends that
 * back at its own settings. When the simulator decoded Linux's request into other settings,
 * both directions go through the project's UART model and the echo comes back garbled.
 */
export class EchoPeer implements SimulatedMeterLine {
  #host: WireHostSide | null = null;

  constructor(public settings: LineSettings) {}

  attach(host: WireHostSide): void {
    this.#host = host;
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    const heard = Uint8Array.from(uartReceive(bytes, sentWith, this.settings), (c) => c.value);
    this.#host?.fromMeter(heard, this.settings);
  }

  detach(): void {
    this.#host = null;
  }
}
