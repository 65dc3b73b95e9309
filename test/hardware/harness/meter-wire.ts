import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { formatLine, sameLine } from '../../../main/meter/serial/line-settings.js';
import { uartReceive } from '../../../main/meter/sim/adapters/uart-wire.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';

/**
 * What the adapter's UART is set to, as the device model nobody here wrote decoded it: QEMU's
 * FTDI model (its trace), or Linux's CDC-ACM gadget (the line coding it received).
 */
export interface ChipLineSource {
  current(): LineSettings;
  /** Resolves when the settings may have changed (or after `ms`). */
  changed(ms: number): Promise<void>;
}

/**
 * How long the meter's bytes wait for the chip to reach the meter's settings before they are
 * put on the wire anyway (and garbled by the mismatch). IEC 62056-21 gives the host at least
 * 200 ms after its option select; the emulated links have no baud timing, so this stands in.
 */
const SETTINGS_GRACE_MS = 3000;

/**
 * The serial line between an emulated adapter's far side and a simulated meter. Bytes pass
 * unharmed only when the chip (as its device model reports it) and the meter agree on speed and
 * format; otherwise the project's UART model garbles them as a real line would. One wire per
 * plug-in: `open` ends when the far side goes away.
 */
export class MeterWire {
  #open = true;
  #queue = Promise.resolve();

  constructor(
    private readonly chip: ChipLineSource,
    private readonly meter: SimulatedMeterLine,
    /** Put bytes on the adapter's far side (QEMU's chardev socket, the gadget's tty). */
    private readonly send: (bytes: Uint8Array) => void,
    private readonly log: (line: string) => void,
  ) {
    const host: WireHostSide = {
      fromMeter: (bytes, sentWith) => {
        const copy = bytes.slice();
        // Keep the meter's bytes in order even while one chunk waits for the chip to switch.
        this.#queue = this.#queue.then(async () => {
          const deadline = Date.now() + SETTINGS_GRACE_MS;
          while (this.#open && !sameLine(this.chip.current(), sentWith) && Date.now() < deadline) {
            await this.chip.changed(deadline - Date.now());
          }
          if (!this.#open) return;
          const at = this.chip.current();
          if (sameLine(at, sentWith)) return this.send(copy);
          this.log(`meter sent ${copy.length} B at ${formatLine(sentWith)}, chip at ${formatLine(at)}: garbled`);
          this.send(Uint8Array.from(uartReceive(copy, sentWith, at), (c) => c.value));
        });
      },
    };
    this.meter.attach(host);
  }

  /**
   * Bytes from the host's driver, as the adapter put them on the line. They belong to the chip
   * settings in effect when they arrive: the emulated links have no bit timing and hand OUT data
   * on at once, before any later speed change (see README).
   */
  fromAdapter(bytes: Uint8Array): void {
    if (this.#open) this.meter.toMeter(bytes, this.chip.current());
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.meter.detach();
  }
}

/**
 * A meter line whose meter the harness swaps between scenarios of one boot, while the wire to
 * the adapter stays: the next scenario's meter is attached to the same far side.
 */
export class SwitchableLine implements SimulatedMeterLine {
  #meter: SimulatedMeterLine | null = null;
  #host: WireHostSide | null = null;

  use(meter: SimulatedMeterLine | null): void {
    if (this.#meter && this.#host) this.#meter.detach();
    this.#meter = meter;
    if (meter && this.#host) meter.attach(this.#host);
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#meter?.attach(host);
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.#meter?.toMeter(bytes, sentWith);
  }

  detach(): void {
    this.#host = null;
    this.#meter?.detach();
  }
}
